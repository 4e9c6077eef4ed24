/// Limits on what a user or a group may hold at once; nil means unlimited.
public struct Quota: Sendable, Codable, Hashable {
    /// Machines.
    public var machines: Int?
    /// Virtual CPUs summed over the machines.
    public var vcpus: Int?
    /// Memory summed over the machines, in MiB.
    public var memoryMiB: Int?
    /// Disk capacity summed over the machines, in GiB.
    public var diskGiB: Int?

    /// Creates a quota.
    public init(machines: Int? = nil, vcpus: Int? = nil, memoryMiB: Int? = nil, diskGiB: Int? = nil) {
        self.machines = machines
        self.vcpus = vcpus
        self.memoryMiB = memoryMiB
        self.diskGiB = diskGiB
    }

    /// Whether no limit is set.
    public var isUnlimited: Bool { machines == nil && vcpus == nil && memoryMiB == nil && diskGiB == nil }
}

/// What machines hold, for quota checks (memory in KiB, disk in bytes, as machines report them).
public struct Usage: Sendable, Codable, Hashable {
    /// Machines.
    public var machines: Int
    /// Virtual CPUs.
    public var vcpus: Int
    /// Memory in KiB.
    public var memoryKiB: Int
    /// Disk capacity in bytes.
    public var diskBytes: Int

    /// Creates a usage.
    public init(machines: Int = 0, vcpus: Int = 0, memoryKiB: Int = 0, diskBytes: Int = 0) {
        self.machines = machines
        self.vcpus = vcpus
        self.memoryKiB = memoryKiB
        self.diskBytes = diskBytes
    }

    /// The sum of two usages (saturating: usages come from backends).
    public static func + (a: Usage, b: Usage) -> Usage {
        Usage(
            machines: a.machines.addingReportingOverflow(b.machines).overflow ? .max : a.machines + b.machines,
            vcpus: a.vcpus.addingReportingOverflow(b.vcpus).overflow ? .max : a.vcpus + b.vcpus,
            memoryKiB: a.memoryKiB.addingReportingOverflow(b.memoryKiB).overflow ? .max : a.memoryKiB + b.memoryKiB,
            diskBytes: a.diskBytes.addingReportingOverflow(b.diskBytes).overflow ? .max : a.diskBytes + b.diskBytes)
    }

    /// The first limit of `quota` this usage passes, described for an error message; nil within the quota.
    public func exceeded(_ quota: Quota) -> String? {
        if let limit = quota.machines, machines > limit { return "\(machines) machines (quota \(limit))" }
        if let limit = quota.vcpus, vcpus > limit { return "\(vcpus) vCPUs (quota \(limit))" }
        if let limit = quota.memoryMiB, memoryKiB > limit.multipliedReportingOverflow(by: 1024).partialValue {
            return "\(memoryKiB / 1024) MiB of memory (quota \(limit) MiB)"
        }
        if let limit = quota.diskGiB, diskBytes > limit.multipliedReportingOverflow(by: 1 << 30).partialValue {
            return "\(diskBytes >> 30) GiB of disk (quota \(limit) GiB)"
        }
        return nil
    }
}

extension Usage {
    /// What one machine holds.
    public init(of machine: Machine) {
        self.init(
            machines: 1, vcpus: machine.vcpus, memoryKiB: machine.memoryKiB,
            diskBytes: machine.disks.reduce(0) { $0 + ($1.device == "disk" ? ($1.capacityBytes ?? 0) : 0) })
    }

    /// What a machine made from `spec` will hold (disks of unknown size count as nothing).
    public init(of spec: MachineSpec) {
        self.init(
            machines: 1, vcpus: spec.vcpus, memoryKiB: spec.memoryKiB,
            diskBytes: spec.disks.reduce(0) { $0 + ($1.capacityBytes ?? 0) })
    }
}

extension MachineMetadata {
    /// The user who owns the machine (the gateway metadata's `owner` value); nil for machines
    /// made outside a user's request (pool stock, hand-made domains), which only admins reach.
    public var owner: String? {
        get { extra["owner"] }
        set { extra["owner"] = newValue }
    }
}
