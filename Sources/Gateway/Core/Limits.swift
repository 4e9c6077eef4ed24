public import Spec

/// Bounds on sizes clients may ask for, shared by every dialect and the configuration.
///
/// The unit-taking functions convert a client's value with overflow-checked arithmetic
/// (``Measure``) and check it against the bounds in one step, naming the client's field in the
/// error, so no dialect multiplies a client's number itself.
public enum Limits {
    /// vCPUs per machine.
    public static let vcpus = 1...64
    /// Memory per machine in KiB: 16 MiB to 1 TiB.
    public static let memoryKiB = (16 * 1024)...(1024 * 1024 * 1024)
    /// Disk size in bytes: 1 MiB to 64 TiB.
    public static let diskBytes = (1 << 20)...(64 << 40)
    /// A machine's lease in hours: up to ten years.
    public static let lifetimeHours = 0.0...87_600.0
    /// Machines one request may ask for (vmpooler on-demand counts, cluster sizes).
    public static let machinesPerRequest = 0...1000

    /// Throws `invalid` when `vcpus` is out of range.
    public static func validate(vcpus: Int, field: String = "cpus") throws(SpecError) {
        try Measure.bounded(vcpus, Self.vcpus, field: field)
    }

    /// Throws `invalid` when `memoryKiB` is out of range.
    public static func validate(memoryKiB: Int, field: String = "memory") throws(SpecError) {
        guard Self.memoryKiB.contains(memoryKiB) else {
            throw SpecError.invalid("\(field) must be between 16 MiB and 1 TiB, not \(memoryKiB / 1024) MiB")
        }
    }

    /// Throws `invalid` when `bytes` is out of range.
    public static func validate(diskBytes bytes: Int, what: String = "disk size") throws(SpecError) {
        guard diskBytes.contains(bytes) else {
            throw SpecError.invalid("\(what) must be between 1 MiB and 64 TiB, not \(bytes) bytes")
        }
    }

    /// Memory of `value` `unit`s in KiB (rounded up), within ``memoryKiB``.
    public static func memoryKiB(_ value: Int, _ unit: SizeUnit, field: String) throws(SpecError) -> Int {
        guard value > 0 else { throw SpecError.invalid("\(field) must be positive, not \(value)") }
        let bytes = try unit.bytes(value, field: field)
        let kib = bytes / 1024 + (bytes % 1024 == 0 ? 0 : 1)
        try validate(memoryKiB: kib, field: field)
        return kib
    }

    /// Memory of `value` `unit`s (a fraction allowed) in KiB, within ``memoryKiB``.
    public static func memoryKiB(_ value: Double, _ unit: SizeUnit, field: String) throws(SpecError) -> Int {
        guard try Measure.finite(value, field: field) > 0 else {
            throw SpecError.invalid("\(field) must be positive")
        }
        let bytes = try unit.bytes(value, field: field)
        return try memoryKiB(bytes, .bytes, field: field)
    }

    /// A disk size of `value` `unit`s in bytes, within ``diskBytes``.
    public static func diskBytes(_ value: Int, _ unit: SizeUnit, field: String) throws(SpecError) -> Int {
        guard value > 0 else { throw SpecError.invalid("\(field) must be positive, not \(value)") }
        let bytes = try unit.bytes(value, field: field)
        try validate(diskBytes: bytes, what: field)
        return bytes
    }

    /// A disk size of `value` `unit`s (a fraction allowed) in whole bytes, within ``diskBytes``.
    public static func diskBytes(_ value: Double, _ unit: SizeUnit, field: String) throws(SpecError) -> Int {
        guard try Measure.finite(value, field: field) > 0 else {
            throw SpecError.invalid("\(field) must be positive")
        }
        let bytes = try unit.bytes(value, field: field)
        try validate(diskBytes: bytes, what: field)
        return bytes
    }

    /// A lease length in hours, finite and within ``lifetimeHours``.
    @discardableResult
    public static func lifetime(hours: Double, field: String = "lifetime") throws(SpecError) -> Double {
        try Measure.bounded(hours, lifetimeHours, field: field, unit: "hours")
    }
}
