import Foundation
import Spec

/// How many pool clones each backend takes at once, and which backend a pool's next clone goes to.
///
/// Starting a domain is CPU work on its host: libvirt and QEMU answer each other's monitor
/// commands (about 400 round trips for the CPU model alone on libvirt 9), which keeps about one
/// CPU busy for the whole start. More starts at once than the host has CPUs to spare make every
/// one of them slower. So each backend takes half as many concurrent pool clones as its host has
/// CPUs (at least one; the `cloneLimit` option overrides it), leaving the rest to the guests
/// already running; further clones wait unreserved, like vmpooler's beyond `task_limit`, and a
/// clone's recorded time is its own work rather than its share of a crowded host.
struct ClonePlacement: Sendable {
    /// What the manager last learned about a backend's host.
    struct Host: Sendable {
        var cpus: Int?
        var freeMemoryKiB: Int
        var checkedAt: Date
    }

    /// Seconds before host information is fetched again.
    static let refreshInterval: TimeInterval = 60

    var hosts: [String: Host] = [:]
    /// Round-robin positions per pool.
    var cursors: [String: Int] = [:]
    /// Backends whose host information is being fetched.
    var refreshing: Set<String> = []

    /// Concurrent pool clones `backend` takes: one until its host has been asked (or while it
    /// cannot be), then half its CPU count.
    func slots(_ backend: String, settings: VMPoolerSettings) -> Int {
        settings.cloneLimit ?? hosts[backend]?.cpus.map { max(1, $0 / 2) } ?? 1
    }

    /// The backend for the next clone of `pool` among `candidates` with a free slot, following
    /// the group's placement policy; nil when all are busy.
    mutating func choose(
        for pool: PoolManager.Pool, candidates: [String], cloning: [String: Int], settings: VMPoolerSettings
    ) -> String? {
        let open = candidates.filter { cloning[$0, default: 0] < slots($0, settings: settings) }
        guard !open.isEmpty else { return nil }
        switch pool.group.placement {
        case .pinned:
            return open.first == candidates.first ? open.first : nil
        case .roundRobin:
            let start = cursors[pool.name, default: 0]
            for step in 0..<candidates.count {
                let candidate = candidates[(start + step) % candidates.count]
                guard open.contains(candidate) else { continue }
                cursors[pool.name] = start + step + 1
                return candidate
            }
            return nil
        case .mostFreeMemory:
            return open.max { (hosts[$0]?.freeMemoryKiB ?? 0) < (hosts[$1]?.freeMemoryKiB ?? 0) }
        }
    }

    /// Backends due for a host-information refresh, marked as being refreshed.
    mutating func due(_ backends: Set<String>, now: Date) -> [String] {
        let due = backends.filter { name in
            !refreshing.contains(name)
                && (hosts[name].map { now.timeIntervalSince($0.checkedAt) > Self.refreshInterval } ?? true)
        }
        refreshing.formUnion(due)
        return due.sorted()
    }
}

extension PoolManager {
    /// Backends a pool's clones may go to (a group without backends uses the first configured one).
    func candidates(for pool: Pool) -> [String] {
        pool.group.backends.isEmpty ? Array(fleet.backends.names.prefix(1)) : pool.group.backends
    }

    /// Fetches CPU counts and free memory of the pools' backends (in the background of a pass,
    /// so an unreachable host never holds the pass up).
    func refreshHosts(_ group: inout DiscardingTaskGroup) {
        let names = Set(pools.flatMap(candidates(for:)))
        let due = table.withLock { $0.placement.due(names, now: Date()) }
        for name in due {
            group.addTask {
                let info = try? await self.fleet.call(try self.fleet.backends.backend(name), "hostInfo") {
                    try await $0.hostInfo()
                }
                self.table.withLock { table in
                    table.placement.refreshing.remove(name)
                    // Unreachable: try again after the interval, with the last known values.
                    let known = table.placement.hosts[name]
                    table.placement.hosts[name] = ClonePlacement.Host(
                        cpus: info?.cpus ?? known?.cpus,
                        freeMemoryKiB: info?.freeMemoryKiB ?? known?.freeMemoryKiB ?? 0,
                        checkedAt: Date())
                }
            }
        }
    }
}
