import DialectKit
import Foundation
import GatewayCore
import Spec

extension IMDialect {
    /// Deploys the `deploy` sentences of `document` into an infrastructure; returns the new VM
    /// ids. On failure the VMs created by this call are removed again.
    func addResources(_ document: RADLDocument, to infrastructure: IMInfrastructure, contextualize: Bool) async throws
        -> [Int]
    {
        try document.validate(known: infrastructure.document)
        let merged = infrastructure.document.merging(document)
        for deploy in document.deploys where deploy.count > 100 {
            throw IMFailure(400, "deploy \(deploy.system) asks for more than 100 VMs")
        }
        // Each count is at most 100, so the sum cannot overflow; the bound is per request.
        let total = document.deploys.reduce(0) { $0 + max(0, $1.count) }
        guard total <= 100 else { throw IMFailure(400, "the RADL asks for \(total) VMs; at most 100 per request") }
        var created: [IMVM] = []
        do {
            for deploy in document.deploys where deploy.count > 0 {
                guard let system = merged.system(deploy.system) else {
                    throw IMFailure(400, "deploy names undefined system '\(deploy.system)'")
                }
                let request = try await machineRequest(system, merged, infrastructure)
                for id in try await repository.reserveVMs(infrastructure.id, count: deploy.count) {
                    created.append(
                        try await deployVM(id, system, request, infrastructure, merged, contextualize: contextualize))
                }
            }
        } catch {
            for vm in created { try? await undeploy(vm) }
            throw error
        }
        let vms = created
        try await repository.update(infrastructure.id) { current in
            current.document = current.document.merging(document)
            current.vms += vms
            let names = vms.map { "\($0.id)" }.joined(separator: ", ")
            if !vms.isEmpty { current.contmsg += "Deployed VMs \(names).\n" }
        }
        return vms.map(\.id)
    }

    private func deployVM(
        _ id: Int, _ system: RADLAspect, _ template: CreateMachineRequest, _ infrastructure: IMInfrastructure,
        _ document: RADLDocument, contextualize: Bool
    ) async throws -> IMVM {
        var request = template
        let name = "im-" + infrastructure.id.replacingOccurrences(of: "-", with: "") + "-\(id)"
        request.name = name
        request.extra["im.vm"] = "\(id)"
        request.start = true
        var outcome = IMContextOutcome(ok: true, message: "Contextualization skipped (context=false).\n")
        if contextualize {
            let plan = recipePlan(system: system.id, vm: id, document: document)
            outcome = IMContextOutcome(ok: plan.ok, message: plan.log)
            if plan.userData != nil {
                let backend = try backend(for: request, infrastructure)
                request.backend = backend
                outcome = await prepareSeed(plan, machineName: name, system: system.id, vm: id, backend: backend)
                request.cdrom = outcome.seed
            }
        }
        let machine: Machine
        do { machine = try await fleet.createMachine(request) } catch {
            if let seed = outcome.seed { await deleteSeed(seed, backend: request.backend) }
            throw error
        }
        var vm = IMVM(id: id, machine: machine.id, system: system)
        vm.contextualized = contextualize ? outcome.ok : nil
        vm.contmsg = outcome.message
        vm.seed = outcome.seed
        return vm
    }

    /// The backend a VM goes to when it must be known before creation (for its seed volume):
    /// the explicit one, else the group's first.
    private func backend(for request: CreateMachineRequest, _ infrastructure: IMInfrastructure) throws -> String {
        if let backend = request.backend { return backend }
        if let first = fleet.groups.group(infrastructure.group)?.backends.first { return first }
        guard let first = fleet.backends.names.first else { throw SpecError.unavailable("no backend is configured") }
        return first
    }

    /// The create request for one VM of `system`: template from `disk.0.image.url` (or the
    /// group's), cpu and memory from lower bounds, network from the connected network's `provider_id`.
    func machineRequest(_ system: RADLAspect, _ document: RADLDocument, _ infrastructure: IMInfrastructure) async throws
        -> CreateMachineRequest
    {
        var request = CreateMachineRequest(group: infrastructure.group, backend: infrastructure.backend)
        request.extra = ["im.infrastructure": infrastructure.id, "im.system": system.id]
        request.vcpus = try Self.vcpus(system)
        request.memoryKiB = try Self.memoryKiB(system)
        if let url = system.value("disk.0.image.url").flatMap(Self.firstURL) {
            request.template = try await template(forImage: url)
        }
        if let connection = system.string("net_interface.0.connection"), let network = document.network(connection),
            let provider = network.string("provider_id")
        {
            request.network = provider
        }
        // Checked even when a template decides the disk, so an impossible size is never accepted.
        let disk = try Self.bytes(system, "disk.0.size").map { try Limits.diskBytes($0, .bytes, field: "disk.0.size") }
        if request.template == nil, fleet.groups.group(infrastructure.group)?.template == nil, let disk {
            request.diskBytes = disk
        }
        return request
    }

    /// `cpu.count`'s lower bound as a vCPU count within the gateway's limits.
    static func vcpus(_ system: RADLAspect) throws -> Int? {
        guard let cpus = system.lowerBound("cpu.count") else { return nil }
        return try Measure.bounded(try Measure.integer(cpus, field: "cpu.count"), Limits.vcpus, field: "cpu.count")
    }

    /// `memory.size` in KiB: whole MiB, at least 16, within the gateway's limits.
    static func memoryKiB(_ system: RADLAspect) throws -> Int? {
        guard let memory = bytes(system, "memory.size") else { return nil }
        guard try Measure.finite(memory, field: "memory.size") > 0 else {
            throw SpecError.invalid("memory.size must be positive")
        }
        let mib = try Measure.integer(memory / 1_048_576, field: "memory.size")
        return try Limits.memoryKiB(max(16, mib), .mib, field: "memory.size")
    }

    static func firstURL(_ value: RADLValue) -> String? {
        if case .list(let urls) = value { return urls.first }
        return value.text
    }

    /// A size feature in bytes; units are read as binary multiples (`512m` = 512 MiB), as IM's
    /// connectors treat them; a bare number is bytes.
    static func bytes(_ system: RADLAspect, _ name: String) -> Double? {
        let candidates = system.features.filter { $0.name == name && ["=", ">=", ">"].contains($0.op) }
        return candidates.compactMap { feature -> Double? in
            guard case .number(let value, let unit) = feature.value else { return feature.value.scalar }
            guard var unit = unit?.uppercased(), !unit.isEmpty else { return value }
            if unit.hasSuffix("B") { unit.removeLast() }
            if unit.hasSuffix("I") { unit.removeLast() }
            let powers = ["K": 1.0, "M": 2.0, "G": 3.0, "T": 4.0]
            return value * pow(1024, powers[unit] ?? 0)
        }.max()
    }

    /// Deletes a VM's machine and its seed volume.
    func undeploy(_ vm: IMVM) async throws {
        if let machine = vm.machine {
            do { try await fleet.deleteMachine(machine) } catch let error as SpecError where error.kind == .notFound {}
        }
        if let seed = vm.seed { await deleteSeed(seed, backend: vm.machine.flatMap { MachineRef(id: $0)?.backend }) }
    }

    /// Starts or powers off one VM when it is not already in that state.
    func power(_ infrastructure: IMInfrastructure, _ vm: IMVM, _ action: MachineAction) async throws {
        guard let id = vm.machine else { throw IMFailure(400, "VM \(vm.id) was never created: \(vm.failure ?? "")") }
        let machine = try await fleet.machine(id)
        if action.allowedFrom.contains(machine.state) { _ = try await fleet.perform(action, on: id) }
        let stopped = action == .poweroff || action == .shutdown
        try await repository.update(infrastructure.id) { current in
            if let index = current.vms.firstIndex(where: { $0.id == vm.id }) { current.vms[index].stopped = stopped }
        }
    }
}
