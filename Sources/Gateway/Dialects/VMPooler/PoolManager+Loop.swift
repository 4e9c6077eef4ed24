import Foundation
import GatewayCore
import Metrics
import Spec

extension PoolManager {
    /// Runs passes every `loopInterval` seconds until cancelled; clones and destroys run as
    /// child tasks so a slow backend call never holds up checkout or other pools.
    func run() async {
        await loadOverrides()
        await loadOnDemand()
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                await pass(&group)
                do { try await Task.sleep(for: .seconds(settings.loopInterval)) } catch { break }
            }
            group.cancelAll()
        }
    }

    /// One pass: adopt and reconcile, promote booted VMs, reap, destroy, refill.
    func pass(_ group: inout DiscardingTaskGroup) async {
        let listedAt = Date()
        let list = await fleet.machines()
        reconcile(list, listedAt: listedAt)
        await promoteBooted(list, listedAt: listedAt)
        reap()
        await expireOnDemand()
        startDestroys(&group)
        refill(&group, taken: Set(list.machines.map(\.name)))
        purge()
        publishMetrics()
    }

    /// Adopts pooled machines the table does not know (a restart, a backend that came back)
    /// and forgets VMs whose machine is gone.
    func reconcile(_ list: MachineList, listedAt: Date) {
        let known = Set(pools.map(\.name))
        let present = Set(list.machines.map(\.id))
        var adopted: [String] = []
        table.withLock { table in
            for machine in list.machines where table.vms[machine.name] == nil {
                guard var vm = PoolVM(adopting: machine) else { continue }
                if !known.contains(vm.pool), vm.state != .running { vm.state = .completed }
                if vm.state == .destroyed { vm.state = .completed }
                table.vms[vm.hostname] = vm
                adopted.append(vm.hostname)
            }
            for machine in list.machines {
                guard let ip = machine.nics.flatMap(\.addresses).first else { continue }
                if table.vms[machine.name]?.backend == machine.backend { table.vms[machine.name]?.ip = ip }
            }
            table.reconciled = true
            guard list.warnings.isEmpty else { return }
            for (hostname, vm) in table.vms where !table.busy.contains(hostname) {
                guard let id = vm.machineID, vm.state != .destroyed, vm.state != .pending,
                    (vm.bootStartedAt ?? .distantPast) < listedAt, !present.contains(id)
                else { continue }
                var gone = vm
                gone.state = .destroyed
                gone.destroyedAt = vm.destroyedAt ?? Date()
                table.vms[hostname] = gone
            }
        }
        if !adopted.isEmpty {
            logger.info("adopted pooled VMs", metadata: ["count": "\(adopted.count)", "vms": "\(adopted.sorted())"])
        }
    }

    /// Moves booting VMs whose readiness check passes to ready; replaces those that time out.
    func promoteBooted(_ list: MachineList, listedAt: Date) async {
        let machines = Dictionary(list.machines.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let now = Date()
        let booting = vms.filter { $0.state == .booting && ($0.bootStartedAt ?? .distantPast) < listedAt }
        var ready: [PoolVM] = []
        await withTaskGroup(of: PoolVM?.self) { group in
            for vm in booting {
                guard let id = vm.machineID, let machine = machines[id] else { continue }
                let settings = settings
                group.addTask {
                    switch settings.readiness {
                    case .running: return machine.state == .running ? vm : nil
                    case .tcp(let port):
                        guard machine.state == .running, let ip = machine.nics.flatMap(\.addresses).first else {
                            return nil
                        }
                        return await TCPProbe.isOpen(host: ip, port: port, timeout: 0.5) ? vm : nil
                    }
                }
            }
            for await vm in group { if let vm { ready.append(vm) } }
        }
        await withTaskGroup(of: Void.self) { group in
            for vm in ready { group.addTask { await self.markReady(vm.hostname, at: now) } }
        }
        let timedOut = table.withLock { table in
            table.vms.values.filter {
                $0.state == .booting && now.timeIntervalSince($0.bootStartedAt ?? now) > settings.bootTimeout
            }.map(\.hostname)
        }
        for hostname in timedOut {
            logger.warning("VM did not become ready in time; replacing it", metadata: ["vmgate.machine": "\(hostname)"])
            modify(hostname) {
                $0.state = .completed; $0.destroyedAt = now
            }
        }
    }

    /// Moves a booting VM to ready (or, cloned on demand, to running), records the boot and persists it.
    func markReady(_ hostname: String, at now: Date) async {
        let lifetime = settings.vmLifetime
        let promoted = modify(hostname) { vm in
            guard vm.state == .booting else { return }
            vm.readyAt = now
            if vm.request == nil {
                vm.state = .ready
            } else {
                // On-demand VMs belong to their request as soon as they are up.
                vm.state = .running
                vm.checkoutAt = now
                vm.lifetimeHours = vm.lifetimeHours ?? lifetime
            }
        }
        guard let vm = promoted, vm.readyAt == now else { return }
        let seconds = now.timeIntervalSince(vm.bootStartedAt ?? now)
        Timer(label: "vmpooler_boot_duration_seconds", dimensions: [("pool", vm.pool)], preferredDisplayUnit: .seconds)
            .recordSeconds(seconds)
        try? await fleet.store.record(
            HistoryEvent(
                kind: "boot", subject: vm.hostname, duration: seconds,
                attributes: ["group": vm.pool, "template": vm.template]))
        await persist(hostname)
    }

    /// Expires running VMs past their lifetime and ready VMs past the ready TTL.
    func reap() {
        let now = Date()
        let ttl = settings.readyTTLMinutes * 60
        table.withLock { table in
            for (hostname, vm) in table.vms {
                let expired: Bool
                switch vm.state {
                case .running: expired = vm.expiresAt.map { $0 <= now } ?? false
                case .ready: expired = ttl > 0 && now.timeIntervalSince(vm.readyAt ?? now) > ttl
                default: expired = false
                }
                if expired {
                    table.vms[hostname]?.state = .completed
                    table.vms[hostname]?.destroyedAt = now
                }
            }
        }
    }

    /// Starts destroying completed VMs.
    func startDestroys(_ group: inout DiscardingTaskGroup) {
        let doomed = table.withLock { table in
            let names = table.vms.values.filter { $0.state == .completed && !table.busy.contains($0.hostname) }.map(
                \.hostname)
            table.busy.formUnion(names)
            return names
        }
        for hostname in doomed { group.addTask { await self.destroy(hostname) } }
    }

    func destroy(_ hostname: String) async {
        defer { _ = table.withLock { $0.busy.remove(hostname) } }
        if let id = vm(hostname)?.machineID {
            do { try await fleet.deleteMachine(id) } catch let error as SpecError where error.kind == .notFound {
            } catch {
                logger.warning(
                    "could not destroy VM; will retry", metadata: ["vmgate.machine": "\(id)", "error": "\(error)"])
                return
            }
        }
        let added = vm(hostname)?.volumes ?? []
        for entry in added {
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let backend = vm(hostname)?.backend
            _ = try? await fleet.onPool(parts[0], backend: backend, "deleteVolume") {
                try await $0.deleteVolume(named: parts[1], inPool: parts[0])
            }
        }
        modify(hostname) { $0.state = .destroyed }
    }

    /// Forgets destroyed VMs after the retention time.
    func purge() {
        let cutoff = Date().addingTimeInterval(-settings.destroyedRetention)
        table.withLock { table in
            for (hostname, vm) in table.vms where vm.state == .destroyed && (vm.destroyedAt ?? .distantPast) < cutoff {
                table.vms[hostname] = nil
            }
        }
    }
}

extension Timer {
    func recordSeconds(_ seconds: Double) { recordNanoseconds(Int64(max(0, seconds) * 1e9)) }
}
