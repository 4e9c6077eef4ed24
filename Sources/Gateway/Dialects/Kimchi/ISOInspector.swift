import Foundation
import Synchronization

/// Reads ISO 9660 headers of files the gateway can see, with a small cache keyed by path,
/// size and modification time.
final class ISOInspector: Sendable {
    private let cache = Mutex<[String: (stamp: String, info: ISOInfo)]>([:])

    /// Information about the image at `path`; ``ISOInfo/unknown`` when it cannot be read.
    func inspect(path: String) -> ISOInfo {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return .unknown }
        let stamp = "\(attributes[.size] ?? 0)/\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        if let cached = cache.withLock({ $0[path] }), cached.stamp == stamp { return cached.info }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .unknown }
        defer { try? handle.close() }
        var descriptors: [[UInt8]] = []
        // Descriptors start at sector 16 (2048-byte sectors) and end with a terminator (type 255).
        for sector in 16..<32 {
            guard (try? handle.seek(toOffset: UInt64(sector * 2048))) != nil,
                let data = try? handle.read(upToCount: 2048), data.count == 2048
            else { break }
            let bytes = [UInt8](data)
            guard bytes[1...5].elementsEqual("CD001".utf8) else { break }
            descriptors.append(bytes)
            if bytes[0] == 255 { break }
        }
        let info = Self.interpret(descriptors)
        cache.withLock { $0[path] = (stamp, info) }
        return info
    }

    /// Distribution, version and bootability from a list of 2048-byte volume descriptors.
    static func interpret(_ descriptors: [[UInt8]]) -> ISOInfo {
        guard let primary = descriptors.first(where: { $0[0] == 1 }) else { return .unknown }
        let volumeID = String(decoding: primary[40..<72], as: UTF8.self).trimmingCharacters(
            in: .whitespaces.union(.controlCharacters))
        let bootable = descriptors.contains { descriptor in
            descriptor[0] == 0 && descriptor[7..<39].starts(with: "EL TORITO SPECIFICATION".utf8)
        }
        let (distro, version) = identify(volumeID)
        return ISOInfo(distro: distro, version: version, bootable: bootable, volumeID: volumeID)
    }

    /// Known volume-label patterns: (label prefix, distro).
    private static let labels: [(String, String)] = [
        ("ubuntu", "ubuntu"), ("debian", "debian"), ("fedora", "fedora"), ("centos", "centos"),
        ("rhel", "rhel"), ("red hat", "rhel"), ("rocky", "rocky"), ("almalinux", "almalinux"),
        ("opensuse", "opensuse"), ("sle", "sles"), ("alpine", "alpine"), ("archlinux", "arch"), ("arch_", "arch"),
        ("freebsd", "freebsd"), ("gentoo", "gentoo"), ("linuxmint", "mint"), ("kali", "kali"),
    ]

    /// Architecture words that look like versions (`x86_64`) and are removed before parsing.
    private static let architectures = [
        "x86_64", "amd64", "aarch64", "arm64", "i386", "i686", "ppc64le", "s390x", "x86",
    ]

    /// Distribution and version from a volume identifier such as `Ubuntu-Server 22.04.3 LTS amd64`:
    /// the first run of numeric words after the architecture is removed (`RHEL-9-2-0` → `9.2`).
    static func identify(_ volumeID: String) -> (String, String) {
        var lower = volumeID.lowercased()
        guard let distro = labels.first(where: { lower.hasPrefix($0.0) })?.1 else { return ("unknown", "unknown") }
        for architecture in architectures { lower = lower.replacingOccurrences(of: architecture, with: " ") }
        let words = lower.split { $0 == " " || $0 == "-" || $0 == "_" }
        let numeric = words.drop { !$0.allSatisfy { $0.isNumber || $0 == "." } || !($0.first?.isNumber ?? false) }
            .prefix { word in word.allSatisfy { $0.isNumber || $0 == "." } && !word.isEmpty }
        var parts = numeric.flatMap { $0.split(separator: ".") }.map(String.init)
        if ["rhel", "centos", "rocky", "almalinux"].contains(distro) { parts = Array(parts.prefix(2)) }
        return (distro, parts.isEmpty ? "unknown" : parts.joined(separator: "."))
    }
}
