import Foundation
import GatewayCore
import Logging
import Metrics
import Spec
import Synchronization

/// Keeps every vmpooler pool filled with ready VMs, hands them out atomically, and reaps
/// expired, stale and failed ones. A service: ``run()`` works until it is cancelled.
///
/// The in-memory table is the authority for checkout (one lock, so two requests never get the
/// same VM); every change is written to the machine's metadata (`vmpooler.state`, `leaseStart`,
/// `lifetimeHours`, `tags`), from which a restarted gateway adopts its VMs. Checkouts and
/// readiness are written behind the answer by one writer (see ``runWriter()``).
final class PoolManager: Sendable {
    let fleet: Fleet
    let settings: VMPoolerSettings
    let logger: Logger
    let table = Mutex(PoolTable())
    /// History events waiting for the writer.
    let pendingHistory = Mutex<[HistoryEvent]>([])
    /// Wakes the writer (see ``runWriter()``).
    let writerSignal: AsyncStream<Void>.Continuation
    let writerWakeups: AsyncStream<Void>

    init(fleet: Fleet, settings: VMPoolerSettings, logger: Logger) {
        self.fleet = fleet
        self.settings = settings
        self.logger = logger
        (writerWakeups, writerSignal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    // MARK: Pools

    /// A pool as the manager sees it: its group with run-time overrides applied.
    struct Pool: Sendable {
        var group: Group
        var size: Int
        var template: String?
        var name: String { group.name }
    }

    /// The configured pools, sorted by name.
    var pools: [Pool] {
        let overrides = table.withLock { ($0.sizeOverrides, $0.templateOverrides) }
        return fleet.groups.all
            .filter { $0.options["vmpooler"] == "true" || settings.pools.contains($0.name) }
            .map {
                Pool(group: $0, size: overrides.0[$0.name] ?? $0.size, template: overrides.1[$0.name] ?? $0.template)
            }
    }

    /// Pools a requested name stands for: the pool itself and every pool listing it as an alias.
    func pools(answering name: String) -> [String] {
        pools.filter { $0.name == name || $0.group.aliases.contains(name) }.map(\.name)
    }

    /// Names and aliases clients may ask for.
    var requestableNames: [String] {
        let all = pools
        return Array(Set(all.map(\.name) + all.flatMap(\.group.aliases))).sorted()
    }

    // MARK: Lookups

    /// One VM by short hostname or FQDN.
    func vm(_ hostname: String) -> PoolVM? {
        let short = Self.shorten(hostname)
        return table.withLock { $0.vms[short] }
    }

    /// `abc.example.com` → `abc`.
    static func shorten(_ hostname: String) -> String {
        String(hostname.prefix { $0 != "." })
    }

    /// All tracked VMs.
    var vms: [PoolVM] { table.withLock { Array($0.vms.values) } }

    /// Changes one VM under the lock; nil when it is not tracked.
    @discardableResult
    func modify(_ hostname: String, _ change: (inout PoolVM) throws -> Void) rethrows -> PoolVM? {
        try table.withLock { try $0.update(hostname, change) }
    }
}
