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
        let taken: [(name: String, vm: PoolVM)]? = table.withLock { table in
            var picked: [(String, String)] = []
            var used = Set<String>()
            for (name, count) in request {
                let pools = Set(candidates[name] ?? [])
                var ready = table.vms.values.filter {
                    $0.state == .ready && $0.request == nil && pools.contains($0.pool) && !used.contains($0.hostname)
                }
                guard ready.count >= count else { return nil }
                // Oldest first, so stale VMs leave the pool before the ready TTL reaps them.
                ready.sort { ($0.readyAt ?? .distantPast) < ($1.readyAt ?? .distantPast) }
                for vm in ready.prefix(count) {
                    used.insert(vm.hostname)
                    picked.append((name, vm.hostname))
                }
            }
            return picked.map { name, hostname in
                var vm = table.vms[hostname]!
                vm.state = .running
                vm.checkoutAt = now
                vm.lifetimeHours = lifetime
                vm.token = requester?.token
                if let user = requester?.user { vm.tags["user"] = user }
                table.vms[hostname] = vm
                return (name, vm)
            }
        }
        guard let taken else {
            let short =
                request.first { name, count in
                    let pools = Set(candidates[name] ?? [])
                    return vms.filter { $0.state == .ready && pools.contains($0.pool) }.count < count
                }?.name ?? request.first?.name ?? ""
            Counter(label: "vmpooler_checkout_total", dimensions: [("pool", short), ("result", "empty")]).increment()
            throw .exhausted(short)
        }
        for (_, vm) in taken {
            Counter(label: "vmpooler_checkout_total", dimensions: [("pool", vm.pool), ("result", "success")])
                .increment()
        }
        // Written behind the answer: the table already guarantees exclusivity, and the metadata
        // write (a domain redefinition) would otherwise dominate checkout latency. Each write reads
        // the VM's state at write time, so a later PUT can never be overwritten by this one.
        let hostnames = taken.map(\.vm.hostname)
        let events = taken.map { _, vm in
            HistoryEvent(
                kind: "checkout", subject: vm.hostname, attributes: ["group": vm.pool, "user": vm.tags["user"] ?? ""])
        }
        Task {
            await persist(hostnames)
            for event in events { try? await fleet.store.record(event) }
        }
        return taken
    }

    /// Schedules a running VM for destruction; false when it is not running.
    func release(_ hostname: String) async -> Bool {
        var changed = false
        modify(hostname) { vm in
            guard vm.state == .running else { return }
            vm.state = .completed
            vm.destroyedAt = Date()
            changed = true
        }
        guard changed else { return false }
        await persist(hostname)
        return true
    }
}
