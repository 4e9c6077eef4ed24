import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension VirtualizationServerDialect {
    /// `PATCH` state words and the power actions they run.
    static let transitions: [String: MachineAction] = ["started": .start, "stopped": .shutdown, "halted": .poweroff]

    func addMachineRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/virtual_machines") { _, _ in
            let list = await fleet.machines()
            if list.machines.isEmpty, !list.warnings.isEmpty {
                throw SpecError.unavailable(list.warnings.joined(separator: "; "))
            }
            let body = try listCache.body(key: "list", version: list.version) {
                ByteBuffer(bytes: try JSONWire.makeEncoder().encode(list.machines.map(wire)))
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
        }
        routes.post("/virtual_machines") { request, context in
            let body = try await JSONWire.decode(VirtualizationServerCreate.self, from: request, context: context)
            try Limits.validate(vcpus: body.cpu_count, field: "cpu_count")
            try Limits.validate(memoryKiB: body.memory_size, field: "memory_size")
            if let name = body.name { try NameRules.validate(name, what: "name") }
            let machine = try await fleet.createMachine(
                CreateMachineRequest(
                    name: body.name, group: group, vcpus: body.cpu_count, memoryKiB: body.memory_size,
                    diskBytes: diskBytes, network: network, networkType: networkType))
            return try JSONWire.response(
                wire(machine), status: .created,
                headers: [.location: environment.link("/virtual_machines/\(machine.uuid)")])
        }
        routes.get("/virtual_machines/:uuid") { _, context in
            try JSONWire.response(wire(try await fleet.machine(try context.parameters.require("uuid"))))
        }
        routes.patch("/virtual_machines/:uuid") { request, context in
            let id = try context.parameters.require("uuid")
            let body = try await JSONWire.decode(VirtualizationServerUpdate.self, from: request, context: context)
            return try JSONWire.response(wire(try await update(id, body)))
        }
        routes.delete("/virtual_machines/:uuid") { _, context in
            let machine = try await fleet.machine(try context.parameters.require("uuid"))
            try await fleet.deleteMachine(machine.id, options: DeleteOptions(removeOwnedDisks: true, force: true))
            return Response(status: .ok)
        }
    }

    private func update(_ id: String, _ body: VirtualizationServerUpdate) async throws -> Machine {
        var action: MachineAction?
        if let state = body.state {
            guard let known = Self.transitions[state] else {
                throw SpecError.invalid("state must be one of started, stopped or halted, not '\(state)'")
            }
            action = known
        }
        if let cpus = body.cpu_count { try Limits.validate(vcpus: cpus, field: "cpu_count") }
        if let memory = body.memory_size { try Limits.validate(memoryKiB: memory, field: "memory_size") }
        guard action != nil || body.cpu_count != nil || body.memory_size != nil else {
            throw SpecError.invalid("nothing to change: give 'state', 'cpu_count' or 'memory_size'")
        }
        var machine = try await fleet.machine(id)
        if body.cpu_count != nil || body.memory_size != nil {
            machine = try await fleet.updateMachine(
                machine.id, MachineUpdate(vcpus: body.cpu_count, memoryKiB: body.memory_size))
        }
        if let action { machine = try await fleet.perform(action, on: machine.id) }
        return machine
    }

    /// virsh's word for a state.
    static func state(_ state: MachineState) -> String {
        switch state {
        case .running: "running"
        case .paused: "paused"
        case .shutoff: "shut off"
        case .crashed: "crashed"
        case .pending: "in shutdown"
        case .unknown: "no state"
        }
    }

    func wire(_ machine: Machine) -> VirtualizationServerVM {
        VirtualizationServerVM(
            uuid: machine.uuid, state: Self.state(machine.state), cpu_count: machine.vcpus,
            memory_size: machine.memoryKiB,
            nics: machine.nics.map { nic in
                VirtualizationServerNIC(
                    uuid: deviceUUIDs.uuid(machine: machine.uuid, "nic:" + nic.mac.lowercased()),
                    mac_address: nic.mac, source: nic.source)
            },
            disks: machine.disks.filter { $0.device == "disk" }.map { disk in
                VirtualizationServerDisk(
                    uuid: deviceUUIDs.uuid(machine: machine.uuid, "disk:" + disk.target),
                    size: disk.capacityBytes.map { $0 / 1024 })
            })
    }
}
