public import Foundation

/// Capacity of the host behind a backend.
public struct HostInfo: Sendable, Codable, Hashable {
    /// Host name as the hypervisor reports it.
    public var hostname: String
    /// Hypervisor driver (`QEMU`, `Test`).
    public var hypervisor: String
    /// Physical CPUs.
    public var cpus: Int
    /// Total memory in KiB.
    public var memoryKiB: Int
    /// Free memory in KiB.
    public var freeMemoryKiB: Int
    /// Free bytes summed over active storage pools.
    public var freeStorageBytes: Int

    /// Creates host info.
    public init(
        hostname: String, hypervisor: String, cpus: Int, memoryKiB: Int, freeMemoryKiB: Int, freeStorageBytes: Int
    ) {
        self.hostname = hostname
        self.hypervisor = hypervisor
        self.cpus = cpus
        self.memoryKiB = memoryKiB
        self.freeMemoryKiB = freeMemoryKiB
        self.freeStorageBytes = freeStorageBytes
    }
}

/// How a backend is doing.
public struct BackendHealth: Sendable, Codable, Hashable {
    /// Whether calls are expected to succeed.
    public var healthy: Bool
    /// The last error seen, if any.
    public var lastError: String?
    /// When ``lastError`` happened.
    public var lastErrorAt: Date?
    /// Round-trip time of the last probe, in seconds.
    public var latencySeconds: Double?

    /// Creates a health report.
    public init(healthy: Bool, lastError: String? = nil, lastErrorAt: Date? = nil, latencySeconds: Double? = nil) {
        self.healthy = healthy
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.latencySeconds = latencySeconds
    }
}

/// A change a backend observed on one of its machines.
public struct MachineEvent: Sendable, Codable, Hashable {
    /// What happened.
    public enum Kind: String, Sendable, Codable {
        case defined, undefined, started, suspended, resumed, stopped, shutdown, crashed, changed
    }

    /// The machine.
    public var machine: MachineRef
    /// What happened.
    public var kind: Kind
    /// When it was seen.
    public var at: Date

    /// Creates an event.
    public init(machine: MachineRef, kind: Kind, at: Date = Date()) {
        self.machine = machine
        self.kind = kind
        self.at = at
    }
}
