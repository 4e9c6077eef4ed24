import DequeModule
import Foundation

/// The pool manager's in-memory state, guarded by one lock in ``PoolManager``.
///
/// Besides every tracked VM it keeps, per pool, the ready stock in checkout order (oldest
/// first). Every change to a VM goes through ``set(_:_:)`` or ``update(_:_:)``, which keep
/// that index in step, so a checkout touches only the VMs it takes instead of scanning and
/// sorting the whole table under the lock.
struct PoolTable: Sendable {
    /// Tracked VMs by short hostname.
    private(set) var vms: [String: PoolVM] = [:]
    /// Ready VMs that no on-demand request claims, per pool, oldest first.
    private(set) var stock: [String: Deque<String>] = [:]
    /// VMs whose view changed since it was last written to their machine's metadata.
    private(set) var dirty: Set<String> = []
    /// VMs per pool and state (destroyed ones not counted).
    private(set) var counts: [String: PoolCounts] = [:]
    /// Pending, booting and ready VMs per pool that no on-demand request claims: what refills count.
    private(set) var filling: [String: Int] = [:]
    /// Pool clones in flight (pending VMs no on-demand request claims), over all pools.
    private(set) var cloning = 0
    /// Clones in flight per backend they were placed on.
    private(set) var cloningOn: [String: Int] = [:]
    /// Host information and round-robin positions for clone placement.
    var placement = ClonePlacement()
    /// Hostnames by state, so that passes visit only the VMs a step is about.
    private(set) var byState: [PoolVM.State: Set<String>] = [:]
    /// VMs with a backend call in flight (clone, destroy).
    var busy: Set<String> = []
    /// Consecutive clone failures and when to try again, per pool.
    var failures: [String: (count: Int, retryAt: Date)] = [:]
    /// Pool sizes changed through `/config/poolsize`.
    var sizeOverrides: [String: Int] = [:]
    /// Pool templates changed through `/config/pooltemplate`.
    var templateOverrides: [String: String] = [:]
    /// On-demand requests by id.
    var requests: [String: OnDemandRequest] = [:]
    /// Whether the first reconciliation with the backends has happened.
    var reconciled = false

    subscript(hostname: String) -> PoolVM? { vms[hostname] }

    /// Whether a VM of that name is tracked (without copying it).
    func tracks(_ hostname: String) -> Bool { vms.index(forKey: hostname) != nil }

    /// How many VMs a pool can hand out right now.
    func stockCount(_ pool: String) -> Int { stock[pool]?.count ?? 0 }

    /// Inserts, replaces or (with nil) forgets a VM.
    mutating func set(_ hostname: String, _ vm: PoolVM?) {
        precondition(vm.map { $0.hostname == hostname } ?? true, "VMs are keyed by hostname")
        let old = vms[hostname]
        vms[hostname] = vm
        if let old { account(old, -1) }
        if let vm { account(vm, 1) }
        let wasStock = old.map(\.isStock) ?? false
        let isStock = vm.map(\.isStock) ?? false
        // Stays where it is only when it stays in the same pool's stock with the same age.
        let inPlace = wasStock && isStock && vm?.pool == old?.pool && vm?.readyAt == old?.readyAt
        if let old, wasStock, !inPlace { removeFromStock(hostname, pool: old.pool) }
        if let vm, isStock, !inPlace { addToStock(vm) }
        if vm == nil { dirty.remove(hostname) }
    }

    /// Changes one VM; nil (and no change) when it is not tracked.
    @discardableResult
    mutating func update(_ hostname: String, _ change: (inout PoolVM) throws -> Void) rethrows -> PoolVM? {
        guard var vm = vms[hostname] else { return nil }
        try change(&vm)
        set(hostname, vm)
        return vm
    }

    /// Takes `count` stock VMs for every item from the item's pools (oldest first across them),
    /// applies `claim` to each, and returns `(item name, hostname)` in request order; all or none:
    /// when any item falls short, nothing changes and the result is nil.
    ///
    /// `claim` must move the VM out of the stock (to `running`).
    mutating func take(
        _ items: [(name: String, count: Int, pools: [String])], claim: (inout PoolVM) -> Void
    ) -> [(name: String, hostname: String)]? {
        var offsets: [String: Int] = [:]
        var picked: [(name: String, hostname: String)] = []
        for item in items {
            let available = item.pools.reduce(0) { $0 + stockCount($1) - offsets[$1, default: 0] }
            guard available >= item.count else { return nil }
            for _ in 0..<item.count {
                var best: (pool: String, readyAt: Date)?
                for pool in item.pools {
                    let offset = offsets[pool, default: 0]
                    guard let queue = stock[pool], offset < queue.count else { continue }
                    let readyAt = vms[queue[offset]]?.readyAt ?? .distantPast
                    if best.map({ readyAt < $0.readyAt }) ?? true { best = (pool, readyAt) }
                }
                guard let pool = best?.pool, let hostname = stock[pool]?[offsets[pool, default: 0]] else { return nil }
                picked.append((item.name, hostname))
                offsets[pool, default: 0] += 1
            }
        }
        for (pool, count) in offsets { stock[pool]?.removeFirst(count) }
        for (_, hostname) in picked {
            account(vms[hostname]!, -1)
            claim(&vms[hostname]!)
            precondition(!vms[hostname]!.isStock, "a claimed VM must leave the stock")
            account(vms[hostname]!, 1)
            dirty.insert(hostname)
        }
        return picked
    }

    /// Schedules a VM for destruction (returned, expired, replaced) as of `now`.
    mutating func retire(_ hostname: String, at now: Date) {
        update(hostname) {
            $0.state = .completed
            $0.destroyedAt = now
        }
    }

    /// Notes that a VM's view must be written to its machine.
    mutating func markDirty(_ hostname: String) {
        if tracks(hostname) { dirty.insert(hostname) }
    }

    /// Up to `limit` VMs waiting to be written, removed from the dirty set.
    mutating func takeDirty(limit: Int) -> [String] {
        let batch = Array(dirty.prefix(limit))
        dirty.subtract(batch)
        return batch
    }

    /// Hostnames in `state`.
    func hostnames(in state: PoolVM.State) -> Set<String> { byState[state] ?? [] }

    /// Adds (`sign` 1) or removes (-1) a VM from the counters.
    private mutating func account(_ vm: PoolVM, _ sign: Int) {
        if sign > 0 {
            byState[vm.state, default: []].insert(vm.hostname)
        } else {
            byState[vm.state]?.remove(vm.hostname)
        }
        switch vm.state {
        case .pending: counts[vm.pool, default: PoolCounts()].cloning += sign
        case .booting: counts[vm.pool, default: PoolCounts()].booting += sign
        case .ready: counts[vm.pool, default: PoolCounts()].ready += sign
        case .running: counts[vm.pool, default: PoolCounts()].running += sign
        case .completed: counts[vm.pool, default: PoolCounts()].completed += sign
        case .destroyed: break
        }
        if vm.state == .pending, let target = vm.target { cloningOn[target, default: 0] += sign }
        guard vm.request == nil else { return }
        switch vm.state {
        case .pending:
            cloning += sign
            filling[vm.pool, default: 0] += sign
        case .booting, .ready: filling[vm.pool, default: 0] += sign
        case .running, .completed, .destroyed: break
        }
    }

    private mutating func addToStock(_ vm: PoolVM) {
        let readyAt = vm.readyAt ?? .distantPast
        var queue = stock.removeValue(forKey: vm.pool) ?? []
        // Nearly always the newest: scan from the back.
        var index = queue.endIndex
        while index > queue.startIndex, (vms[queue[index - 1]]?.readyAt ?? .distantPast) > readyAt { index -= 1 }
        queue.insert(vm.hostname, at: index)
        stock[vm.pool] = queue
    }

    private mutating func removeFromStock(_ hostname: String, pool: String) {
        guard var queue = stock.removeValue(forKey: pool) else { return }
        if queue.first == hostname {
            queue.removeFirst()
        } else if let index = queue.firstIndex(of: hostname) {
            queue.remove(at: index)
        }
        if !queue.isEmpty { stock[pool] = queue }
    }
}

extension PoolVM {
    /// Ready for checkout from its pool (an on-demand VM belongs to its request instead).
    var isStock: Bool { state == .ready && request == nil }
}
