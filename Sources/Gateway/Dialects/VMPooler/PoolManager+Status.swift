import Foundation
import Metrics

/// Counts of VMs by queue, over all pools.
struct PoolCounts: Sendable, Equatable {
    var cloning = 0
    var booting = 0
    var ready = 0
    var running = 0
    var completed = 0
    var pending: Int { cloning + booting }
    var total: Int { pending + ready + running + completed }
}

extension PoolManager {
    /// Counts per pool (every configured pool present, even when empty).
    func counts() -> [String: PoolCounts] {
        var result = Dictionary(uniqueKeysWithValues: pools.map { ($0.name, PoolCounts()) })
        result.merge(table.withLock { $0.counts }) { _, counted in counted }
        return result
    }

    /// Pools with no ready VM although they should have some.
    func emptyPools(_ counts: [String: PoolCounts]) -> [String] {
        pools.filter { $0.size > 0 && (counts[$0.name]?.ready ?? 0) == 0 }.map(\.name).sorted()
    }

    /// Exports pool gauges for Prometheus.
    func publishMetrics() {
        let counts = counts()
        let sizes = Dictionary(uniqueKeysWithValues: pools.map { ($0.name, $0.size) })
        for (pool, count) in counts {
            for (state, value) in [
                ("cloning", count.cloning), ("booting", count.booting), ("ready", count.ready),
                ("running", count.running),
                ("completed", count.completed),
            ] {
                Gauge(label: "vmpooler_vms", dimensions: [("pool", pool), ("state", state)]).record(value)
            }
            Gauge(label: "vmpooler_pool_size", dimensions: [("pool", pool)]).record(sizes[pool] ?? 0)
        }
    }
}
