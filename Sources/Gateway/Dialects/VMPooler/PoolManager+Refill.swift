import Foundation
import GatewayCore
import Metrics
import Spec

extension PoolManager {
    /// Starts clones so every pool has `size` VMs pending, booting or ready. Each clone task
    /// keeps taking the next missing VM when it finishes, so pools fill at the task limit's pace
    /// rather than one batch per pass.
    func refill(_ group: inout DiscardingTaskGroup, taken: Set<String>) {
        let clones = reserveClones(taken: taken)
        let templates = Dictionary(
            pools.compactMap { pool in pool.template.map { (pool.name, $0) } }, uniquingKeysWith: { a, _ in a })
        // On-demand requests are not held back by the task limit: someone is waiting for them.
        let onDemand = table.withLock { table in onDemandClones(&table, templates: templates, taken: taken) }
        for (vm, template) in onDemand { group.addTask { await self.clone(vm, template: template) } }
        for (vm, template) in clones {
            group.addTask {
                await self.clone(vm, template: template)
                while !Task.isCancelled, let (next, template) = self.reserveClones(taken: [], limit: 1).first {
                    await self.clone(next, template: template)
                }
            }
        }
    }

    /// Reserves (as pending) the VMs pools are missing, at most `limit` and within the task limit.
    func reserveClones(taken: Set<String>, limit: Int = .max) -> [(PoolVM, String)] {
        let now = Date()
        let pools = pools
        return table.withLock { table in
            var clones: [(PoolVM, String)] = []
            // Like vmpooler's task_limit: at most this many clones in flight, so refilling never
            // starves request handling.
            var budget = min(limit, settings.taskLimit - table.cloning)
            for pool in pools where budget > 0 {
                guard let template = pool.template else { continue }
                if let failure = table.failures[pool.name], failure.retryAt > now { continue }
                let filling = table.filling[pool.name, default: 0]
                guard filling < pool.size else { continue }
                let candidates = candidates(for: pool)
                for _ in 0..<min(pool.size - filling, budget) {
                    guard
                        let target = table.placement.choose(
                            for: pool, candidates: candidates, cloning: table.cloningOn, settings: settings)
                    else { break }
                    budget -= 1
                    var hostname = NameGenerator.random(15)
                    while table[hostname] != nil || taken.contains(hostname) { hostname = NameGenerator.random(15) }
                    let vm = PoolVM(hostname: hostname, pool: pool.name, template: template, target: target)
                    table.set(hostname, vm)
                    table.busy.insert(hostname)
                    clones.append((vm, template))
                }
            }
            return clones
        }
    }

    /// Clones and starts one VM, then hands it to the readiness check.
    func clone(_ vm: PoolVM, template: String) async {
        let started = ContinuousClock.now
        do {
            var extra = [PoolVM.stateKey: PoolVM.State.booting.rawValue]
            extra[PoolVM.requestKey] = vm.request
            let request = CreateMachineRequest(
                name: vm.hostname, template: template, group: vm.pool, backend: vm.target, extra: extra, start: true)
            // An on-demand VM is made for its user: the fleet records them and holds them to their quota.
            let principal = vm.request == nil ? nil : vm.user.flatMap { fleet.users.principal(named: $0) }
            let machine = try await AccessControl.$principal.withValue(principal) {
                try await fleet.createMachine(request)
            }
            Timer(
                label: "vmpooler_clone_duration_seconds", dimensions: [("pool", vm.pool)],
                preferredDisplayUnit: .seconds
            )
            .recordSeconds((ContinuousClock.now - started).seconds)
            table.withLock { table in
                table.busy.remove(vm.hostname)
                table.failures[vm.pool] = nil
                guard var current = table[vm.hostname] else {
                    // Forgotten meanwhile: track it as completed so it is destroyed, not leaked.
                    var orphan = vm
                    orphan.backend = machine.backend
                    orphan.state = .completed
                    table.set(vm.hostname, orphan)
                    return
                }
                current.backend = machine.backend
                current.bootStartedAt = Date()
                current.ip = machine.nics.flatMap(\.addresses).first
                if current.state == .pending { current.state = .booting }
                table.set(vm.hostname, current)
            }
            // A domain that is already running passes the `running` check at once.
            if settings.readiness == .running, machine.state == .running { markReady(vm.hostname, at: Date()) }
        } catch {
            if Task.isCancelled {
                // Shutting down: a half-made clone is adopted (or reaped) by the next start.
                table.withLock { table in
                    table.busy.remove(vm.hostname)
                    table.set(vm.hostname, nil)
                }
                return
            }
            let retryAt = table.withLock { table in
                table.busy.remove(vm.hostname)
                table.set(vm.hostname, nil)
                let count = (table.failures[vm.pool]?.count ?? 0) + 1
                let delay = min(60, settings.loopInterval * pow(2, Double(min(count, 10))))
                table.failures[vm.pool] = (count, Date().addingTimeInterval(delay))
                return delay
            }
            Counter(label: "vmpooler_clone_failures_total", dimensions: [("pool", vm.pool)]).increment()
            if let spec = error as? SpecError, spec.kind == .forbidden, let id = vm.request {
                // Over the user's quota: retrying cannot help, so the request fails now.
                await failOnDemand(id, reason: spec.message)
            }
            logger.warning(
                "clone failed",
                metadata: [
                    "vmgate.machine": "\(vm.hostname)", "pool": "\(vm.pool)", "error": "\(error)",
                    "retryIn": "\(retryAt)",
                ])
        }
    }

    /// Marks a pool's unclaimed VMs for replacement (`/poolreset`); returns how many.
    @discardableResult
    func resetPool(_ pool: String) -> Int {
        let now = Date()
        return table.withLock { table in
            var count = 0
            for (hostname, vm) in table.vms
            where vm.pool == pool && vm.request == nil
                && (vm.state == .pending || vm.state == .booting || vm.state == .ready)
            {
                table.retire(hostname, at: now)
                count += 1
            }
            return count
        }
    }
}
