import Foundation
import GatewayCore
import Metrics
import Spec

extension PoolManager {
    /// Runs passes every `loopInterval` seconds until cancelled; clones and destroys run as
    /// child tasks so a slow backend call never holds up checkout or other pools.
    ///
    /// All of it is maintenance and runs at background priority: a libvirt backend gives such
    /// calls its lower-priority threads, so refilling never takes the CPU from checkouts.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask(priority: .background) { await self.manage() }
        }
    }

    private func manage() async {
        await loadOverrides()
        await loadOnDemand()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.runWriter() }
            while !Task.isCancelled {
                await pass(&group)
                do { try await Task.sleep(for: .seconds(settings.loopInterval)) } catch { break }
            }
            group.cancelAll()
        }
        // Shutting down: what the writer has not written yet is written now, outside the
        // cancelled task so that the backend calls run.
        await Task { await self.flushDirty() }.value
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
        refreshHosts(&group)
        refill(&group, taken: Set(list.machines.map(\.name)))
        purge()
        publishMetrics()
        writerSignal.yield()  // retries writes that failed
    }

    /// Adopts pooled machines the table does not know (a restart, a backend that came back)
    /// and forgets VMs whose machine is gone.
    func reconcile(_ list: MachineList, listedAt: Date) {
        let known = Set(pools.map(\.name))
        var adopted: [String] = []
        inChunks(list.machines) { table, machine in
            guard table.tracks(machine.name) else {
                guard var vm = PoolVM(adopting: machine) else { return }
                if !known.contains(vm.pool), vm.state != .running { vm.state = .completed }
                if vm.state == .destroyed { vm.state = .completed }
                table.set(vm.hostname, vm)
                adopted.append(vm.hostname)
                return
            }
            guard let ip = machine.nics.flatMap(\.addresses).first,
                table.vms[machine.name]?.backend == machine.backend, table.vms[machine.name]?.ip != ip
            else { return }
            table.update(machine.name) { $0.ip = ip }
        }
        table.withLock { $0.reconciled = true }
        if !adopted.isEmpty {
            logger.info("adopted pooled VMs", metadata: ["count": "\(adopted.count)", "vms": "\(adopted.sorted())"])
        }
        guard list.warnings.isEmpty else { return }
        let present = Set(list.machines.map(\.id))
        inChunks(table.withLock { Array($0.vms.keys) }) { table, hostname in
            guard !table.busy.contains(hostname), let vm = table[hostname], let id = vm.machineID,
                vm.state != .destroyed, vm.state != .pending, (vm.bootStartedAt ?? .distantPast) < listedAt,
                !present.contains(id)
            else { return }
            table.update(hostname) {
                $0.state = .destroyed
                $0.destroyedAt = vm.destroyedAt ?? Date()
            }
        }
    }

    /// Moves booting VMs whose readiness check passes to ready; replaces those that time out.
    func promoteBooted(_ list: MachineList, listedAt: Date) async {
        let now = Date()
        let booting = table.withLock { table in
            table.hostnames(in: .booting).compactMap { table[$0] }
        }
        guard !booting.isEmpty else { return }
        let machines = Dictionary(list.machines.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var ready: [PoolVM] = []
        await withTaskGroup(of: PoolVM?.self) { group in
            for vm in booting where (vm.bootStartedAt ?? .distantPast) < listedAt {
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
        for vm in ready { markReady(vm.hostname, at: now) }
        let timedOut = booting.filter { now.timeIntervalSince($0.bootStartedAt ?? now) > settings.bootTimeout }
        for vm in timedOut {
            let replaced = table.withLock { table -> Bool in
                guard table[vm.hostname]?.state == .booting else { return false }
                table.retire(vm.hostname, at: now)
                return true
            }
            if replaced {
                logger.warning(
                    "VM did not become ready in time; replacing it", metadata: ["vmgate.machine": "\(vm.hostname)"])
            }
        }
    }

    /// Moves a booting VM to ready (or, cloned on demand, to running); the writer records the
    /// boot and persists the VM.
    func markReady(_ hostname: String, at now: Date) {
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
        markDirty([hostname])
        recordLater([
            HistoryEvent(
                kind: "boot", subject: vm.hostname, duration: seconds,
                attributes: ["group": vm.pool, "template": vm.template])
        ])
    }

    /// Expires running VMs past their lifetime and ready VMs past the ready TTL.
    func reap() {
        let now = Date()
        let ttl = settings.readyTTLMinutes * 60
        let candidates = table.withLock { table in
            Array(table.hostnames(in: .running)) + (ttl > 0 ? Array(table.hostnames(in: .ready)) : [])
        }
        inChunks(candidates) { table, hostname in
            guard let vm = table[hostname] else { return }
            let expired: Bool
            switch vm.state {
            case .running: expired = vm.expiresAt.map { $0 <= now } ?? false
            case .ready: expired = ttl > 0 && now.timeIntervalSince(vm.readyAt ?? now) > ttl
            default: expired = false
            }
            guard expired else { return }
            table.retire(hostname, at: now)
        }
    }

    /// Starts destroying completed VMs.
    func startDestroys(_ group: inout DiscardingTaskGroup) {
        let doomed = table.withLock { table in
            let names = table.hostnames(in: .completed).subtracting(table.busy)
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
            do { try await fleet.deleteVolume(parts[1], inPool: parts[0], backend: backend) } catch {
                logger.warning(
                    "could not delete a disk added to a destroyed VM",
                    metadata: ["vmgate.machine": "\(hostname)", "volume": "\(entry)", "error": "\(error)"])
            }
        }
        modify(hostname) { $0.state = .destroyed }
    }

    /// Forgets destroyed VMs after the retention time.
    func purge() {
        let cutoff = Date().addingTimeInterval(-settings.destroyedRetention)
        inChunks(table.withLock { Array($0.hostnames(in: .destroyed)) }) { table, hostname in
            guard let vm = table[hostname], vm.state == .destroyed, (vm.destroyedAt ?? .distantPast) < cutoff else {
                return
            }
            table.set(hostname, nil)
        }
    }

    /// Runs `body` for every element under the table lock, taking the lock for a bounded number
    /// of elements at a time: a pass over thousands of VMs runs on low-priority threads and must
    /// not hold a checkout (which needs the same lock) up while the kernel has it preempted.
    func inChunks<Element>(_ elements: [Element], _ body: (inout PoolTable, Element) -> Void) {
        var start = elements.startIndex
        while start < elements.endIndex {
            let end = min(start + Self.chunkSize, elements.endIndex)
            table.withLock { table in
                for element in elements[start..<end] { body(&table, element) }
            }
            start = end
        }
    }

    /// Elements per lock hold in ``inChunks(_:_:)``.
    static let chunkSize = 128
}

extension Timer {
    func recordSeconds(_ seconds: Double) { recordNanoseconds(Int64(max(0, seconds) * 1e9)) }
}
