import Spec

/// Bounds on sizes clients may ask for, shared by every dialect.
public enum Limits {
    /// vCPUs per machine.
    public static let vcpus = 1...64
    /// Memory per machine in KiB: 16 MiB to 1 TiB.
    public static let memoryKiB = (16 * 1024)...(1024 * 1024 * 1024)
    /// Disk size in bytes: 1 MiB to 64 TiB.
    public static let diskBytes = (1 << 20)...(64 << 40)

    /// Throws `invalid` when `vcpus` is out of range.
    public static func validate(vcpus: Int) throws {
        guard Self.vcpus.contains(vcpus) else {
            throw SpecError.invalid(
                "cpus must be between \(Self.vcpus.lowerBound) and \(Self.vcpus.upperBound), not \(vcpus)")
        }
    }

    /// Throws `invalid` when `memoryKiB` is out of range.
    public static func validate(memoryKiB: Int) throws {
        guard Self.memoryKiB.contains(memoryKiB) else {
            throw SpecError.invalid("memory must be between 16 MiB and 1 TiB, not \(memoryKiB / 1024) MiB")
        }
    }

    /// Throws `invalid` when `bytes` is out of range.
    public static func validate(diskBytes bytes: Int, what: String = "disk size") throws {
        guard diskBytes.contains(bytes) else {
            throw SpecError.invalid("\(what) must be between 1 MiB and 64 TiB, not \(bytes) bytes")
        }
    }
}
