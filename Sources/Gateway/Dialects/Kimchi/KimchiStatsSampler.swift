import Foundation
import GatewayCore
import Spec
import Synchronization

/// Turns libvirt's cumulative counters into Kimchi's rates: it keeps the previous sample and
/// the peaks of every VM in memory and computes utilization and throughput between the
/// previous sample and a new one, taken when a single VM is read.
final class KimchiStatsSampler: Sendable {
    /// Kimchi starts every peak at 100 KiB/s so its gauges have a scale before traffic is seen.
    static let peakFloor = 100.0
    /// Samples closer together than this are too noisy; the previous rates are reused instead.
    static let minimumInterval = 1.0
    /// Wait between the two samples taken when a VM has no earlier sample.
    static let firstInterval = Duration.milliseconds(500)

    private struct Entry {
        var sample: MachineStats
        var rates: MachineRates
        var netPeak: Double
        var ioPeak: Double
        var hasRates: Bool
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// What a VM that is not running reports: no activity, peaks at their floor.
    static let idle = KimchiStats(
        cpu_utilization: 0, net_throughput: 0, net_throughput_peak: peakFloor, io_throughput: 0,
        io_throughput_peak: peakFloor)

    /// Current statistics of a machine; zeros (and a reset history) when it is not running.
    func stats(of machine: Machine, fleet: Fleet) async throws -> KimchiStats {
        guard machine.state == .running else {
            forget(machine.uuid)
            return Self.idle
        }
        var sample = try await fleet.stats(machine.id)
        if entries.withLock({ $0[machine.uuid] }) == nil {
            record(sample, for: machine.uuid)
            try await Task.sleep(for: Self.firstInterval)
            sample = try await fleet.stats(machine.id)
        }
        let entry = record(sample, for: machine.uuid)
        return KimchiStats(
            cpu_utilization: Self.round(entry.rates.cpuPercent), net_throughput: Self.round(entry.rates.netKiBps),
            net_throughput_peak: Self.round(entry.netPeak), io_throughput: Self.round(entry.rates.ioKiBps),
            io_throughput_peak: Self.round(entry.ioPeak))
    }

    /// Drops the history of a machine (deleted or powered off).
    func forget(_ uuid: String) {
        _ = entries.withLock { $0.removeValue(forKey: uuid) }
    }

    @discardableResult
    private func record(_ sample: MachineStats, for uuid: String) -> Entry {
        entries.withLock { entries in
            guard var entry = entries[uuid] else {
                let entry = Entry(
                    sample: sample, rates: MachineRates(), netPeak: Self.peakFloor, ioPeak: Self.peakFloor,
                    hasRates: false)
                entries[uuid] = entry
                return entry
            }
            let interval = sample.sampledAt.timeIntervalSince(entry.sample.sampledAt)
            guard interval > 0, !entry.hasRates || interval >= Self.minimumInterval else { return entry }
            let rates = sample.rates(since: entry.sample)
            entry.sample = sample
            entry.rates = rates
            entry.hasRates = true
            entry.netPeak = max(entry.netPeak, rates.netKiBps)
            entry.ioPeak = max(entry.ioPeak, rates.ioKiBps)
            entries[uuid] = entry
            return entry
        }
    }

    private static func round(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
