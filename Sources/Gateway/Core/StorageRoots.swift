public import Spec

/// Where storage pools may be created: only inside a backend's configured roots, and never at
/// `/`, in a system directory or in the gateway's own data directory, whatever the roots say.
public struct StorageRoots: Sendable, Hashable {
    /// libvirt's images directory, the default root.
    public static let libvirtImages = "/var/lib/libvirt/images"
    /// System directories no pool may be in, at any depth.
    public static let system = [
        "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root", "/run", "/sbin",
        "/sys", "/usr", "/var/lib/libvirt/qemu", "/var/log", "/var/run",
    ]

    /// Directories pools may be created in (or below).
    public var roots: [String]

    /// Roots as configured (absolute paths), or libvirt's images directory.
    public init(_ roots: [String]? = nil) {
        self.roots = (roots ?? [Self.libvirtImages]).map(HostPath.normalize)
    }

    /// Checks a pool directory: absolute, without `.`/`..` components, inside a root, and not
    /// at or under a system directory or one of `protected` (the gateway's data directory).
    public func validate(poolPath path: String, protected: [String] = []) throws(SpecError) {
        guard path.hasPrefix("/") else { throw SpecError.invalid("a storage pool needs an absolute path") }
        let parts = path.split(separator: "/")
        guard !parts.contains(where: { $0 == "." || $0 == ".." }) else {
            throw SpecError.invalid("a storage pool path must not contain '.' or '..'")
        }
        try TextRules.validate(path, field: "storage pool path", maxLength: 1024)
        let normalized = HostPath.normalize(path)
        for forbidden in Self.system + protected.map(HostPath.normalize)
        where normalized == "/" || HostPath.contains(forbidden, normalized) {
            throw SpecError.invalid("storage pools may not be created in '\(forbidden)' or at '/'")
        }
        guard roots.contains(where: { HostPath.contains($0, normalized) }) else {
            throw SpecError.invalid(
                "storage pools may only be created under \(roots.map { "'\($0)'" }.joined(separator: ", "))")
        }
    }

    /// Checks configured roots themselves: absolute, and not `/`, a system directory or above one.
    public static func validate(root: String, protected: [String] = []) throws(SpecError) {
        let normalized = HostPath.normalize(root)
        guard root.hasPrefix("/"), normalized != "/" else {
            throw SpecError.invalid("storage root '\(root)' must be an absolute directory other than '/'")
        }
        for forbidden in system + protected.map(HostPath.normalize)
        where HostPath.contains(forbidden, normalized) || HostPath.contains(normalized, forbidden) {
            throw SpecError.invalid("storage root '\(root)' overlaps '\(forbidden)'")
        }
    }

}
