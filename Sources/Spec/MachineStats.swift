public import Foundation

/// Raw cumulative counters read from the hypervisor at one instant.
///
/// Rates (CPU %, throughput) are derived from two samples by ``MachineStats/rates(since:)``.
public struct MachineStats: Sendable, Codable, Hashable {
    /// When the sample was taken.
    public var sampledAt: Date
    /// Total CPU time used, in nanoseconds.
    public var cpuTimeNanoseconds: UInt64
    /// Number of vCPUs (to scale CPU %).
    public var vcpus: Int
    /// Bytes read plus written by all network interfaces.
    public var netBytes: UInt64
    /// Bytes read plus written by all disks.
    public var diskBytes: UInt64

    /// Creates a sample.
    public init(sampledAt: Date, cpuTimeNanoseconds: UInt64, vcpus: Int, netBytes: UInt64, diskBytes: UInt64) {
        self.sampledAt = sampledAt
        self.cpuTimeNanoseconds = cpuTimeNanoseconds
        self.vcpus = vcpus
        self.netBytes = netBytes
        self.diskBytes = diskBytes
    }

    /// Utilization and throughput between `earlier` and this sample.
    public func rates(since earlier: MachineStats) -> MachineRates {
        let seconds = sampledAt.timeIntervalSince(earlier.sampledAt)
        guard seconds > 0 else { return MachineRates() }
        let cpuDelta = Double(cpuTimeNanoseconds &- min(cpuTimeNanoseconds, earlier.cpuTimeNanoseconds))
        let cpu = cpuDelta / (seconds * 1e9 * Double(max(vcpus, 1))) * 100
        let net = Double(netBytes &- min(netBytes, earlier.netBytes)) / 1024 / seconds
        let io = Double(diskBytes &- min(diskBytes, earlier.diskBytes)) / 1024 / seconds
        return MachineRates(cpuPercent: min(max(cpu, 0), 100), netKiBps: net, ioKiBps: io)
    }
}

/// Rates derived from two ``MachineStats`` samples.
public struct MachineRates: Sendable, Codable, Hashable {
    /// CPU utilization, 0–100.
    public var cpuPercent: Double
    /// Network throughput in KiB/s.
    public var netKiBps: Double
    /// Disk throughput in KiB/s.
    public var ioKiBps: Double

    /// Creates rates.
    public init(cpuPercent: Double = 0, netKiBps: Double = 0, ioKiBps: Double = 0) {
        self.cpuPercent = cpuPercent
        self.netKiBps = netKiBps
        self.ioKiBps = ioKiBps
    }
}

/// An image of a machine's primary display.
public struct Screenshot: Sendable, Hashable {
    /// MIME type as the backend produced it (`image/png`, `image/x-portable-pixmap`).
    public var mimeType: String
    /// The image bytes.
    public var data: [UInt8]

    /// Creates a screenshot.
    public init(mimeType: String, data: [UInt8]) {
        self.mimeType = mimeType
        self.data = data
    }
}
