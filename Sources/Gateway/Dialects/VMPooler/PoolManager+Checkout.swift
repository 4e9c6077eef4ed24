import Foundation
import Metrics
import Spec

/// Why a checkout failed.
enum CheckoutFailure: Error, Equatable {
    /// Names that are neither a pool nor an alias.
    case unknown([String])
    /// Not enough ready VMs; nothing was taken.
    case exhausted(String)
}

/// The caller of a checkout, when it presented a valid token.
struct Requester: Sendable {
    var token: String
    var user: String
}

extension PoolManager {
    /// Takes `count` ready VMs for each requested name, all or none.
    ///
    /// - Returns: `(requested name, VM)` pairs in request order.
    func checkout(_ request: [(name: String, count: Int)], requester: Requester?) async throws(CheckoutFailure)
        -> [(name: String, vm: PoolVM)]
    {
        let candidates = Dictionary(
            request.map { ($0.name, pools(answering: $0.name)) }, uniquingKeysWith: { a, _ in a })
        let unknown = candidates.filter(\.value.isEmpty).map(\.key).sorted()
        guard unknown.isEmpty else {
            for name in unknown {
                Counter(label: "vmpooler_checkout_total", dimensions: [("pool", name), ("result", "invalid")])
                    .increment()
            }
            throw .unknown(unknown)
        }
        let now = Date()
        let lifetime = requester == nil ? settings.vmLifetime : settings.vmLifetimeAuth
        let items = request.map { (name: $0.name, count: $0.count, pools: candidates[$0.name] ?? []) }
        let taken: [(name: String, vm: PoolVM)]? = table.withLock { table in
            let picked = table.take(items) { vm in
                vm.state = .running
                vm.checkoutAt = now
                vm.lifetimeHours = lifetime
                vm.tokenDigest = requester.map { PoolVM.digest($0.token) }
                vm.user = requester?.user
                if let user = requester?.user { vm.tags["user"] = user }
            }
            return picked?.map { ($0.name, table[$0.hostname]!) }
        }
        guard let taken else {
            let short = table.withLock { table in
                items.first { item in item.pools.reduce(0) { $0 + table.stockCount($1) } < item.count }?.name
            }
            let name = short ?? request.first?.name ?? ""
            Counter(label: "vmpooler_checkout_total", dimensions: [("pool", name), ("result", "empty")]).increment()
            throw .exhausted(name)
        }
        for (_, vm) in taken {
            Counter(label: "vmpooler_checkout_total", dimensions: [("pool", vm.pool), ("result", "success")])
                .increment()
        }
        // Written behind the answer: the table already guarantees exclusivity, and the metadata
        // write (a domain update) would otherwise dominate checkout latency. `take` marked the VMs
        // dirty; the writer reads each VM's state when it writes, so a later PUT is never undone.
        recordLater(
            taken.map { _, vm in
                HistoryEvent(
                    kind: "checkout", subject: vm.hostname,
                    attributes: ["group": vm.pool, "user": vm.user ?? ""])
            })
        return taken
    }

    /// Schedules a running VM for destruction; false when it is not running.
    func release(_ hostname: String) async -> Bool {
        let changed = table.withLock { table -> Bool in
            guard table[hostname]?.state == .running else { return false }
            table.retire(hostname, at: Date())
            return true
        }
        guard changed else { return false }
        await persist(hostname)
        return true
    }
}
