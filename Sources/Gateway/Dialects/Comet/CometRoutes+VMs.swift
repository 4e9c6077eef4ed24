import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension CometDialect {
    func addVMRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/cluster/:name/vms") { _, context in
            let group = try cluster(try context.parameters.require("name"))
            return try JSONWire.response(try await members(of: group).map { wire($0, cluster: group.name) })
        }
        routes.post("/cluster/:name/vms") { request, context in
            let group = try cluster(try context.parameters.require("name"))
            let body = try await JSONWire.decode(CometCreateVM.self, from: request, context: context)
            let machine = try await createVM(body, in: group)
            let wire = wire(.live(machine), cluster: group.name)
            return try JSONWire.response(wire, status: .created, headers: [.location: wire.href])
        }
        routes.get("/cluster/:name/vms/:vm") { _, context in
            let (group, vm) = try clusterAndVM(context)
            return try JSONWire.response(wire(try await member(vm, of: group), cluster: group.name))
        }
        routes.put("/cluster/:name/vms/:vm") { request, context in
            let (group, vm) = try clusterAndVM(context)
            let body = try await JSONWire.decode(CometUpdateVM.self, from: request, context: context)
            if let name = body.name, name != vm { throw SpecError.invalid("renaming a VM is not supported") }
            let vcpus = try body.cpus.map { try Measure.bounded($0, Limits.vcpus, field: "cpus") }
            let memory = try body.memory.map { try Limits.memoryKiB($0, .mib, field: "memory") }
            var machine = try await liveMachine(vm, of: group)
            if body.cpus != nil || body.memory != nil {
                guard machine.state == .shutoff else {
                    throw SpecError.conflict(
                        "VM '\(vm)' is \(machine.state.rawValue); shut it off to change cpus or memory")
                }
                machine = try await fleet.updateMachine(machine.id, MachineUpdate(vcpus: vcpus, memoryKiB: memory))
            }
            return try JSONWire.response(wire(.live(machine), cluster: group.name))
        }
        routes.delete("/cluster/:name/vms/:vm") { request, context in
            let (group, vm) = try clusterAndVM(context)
            let force = try await forceRequested(request, context: context)
            try await delete(try await member(vm, of: group), force: force)
            return Response(status: .noContent)
        }
        routes.get("/cluster/:name/vms/:vm/screenshot") { _, context in
            let (group, vm) = try clusterAndVM(context)
            let machine = try await liveMachine(vm, of: group)
            guard machine.state == .running else { throw SpecError.conflict("VM '\(vm)' is not running") }
            return JSONWire.bytes(try await fleet.screenshotPNG(machine.id), contentType: "image/png")
        }
        for action in [MachineAction.start, .poweroff, .shutdown, .reset] {
            routes.post("/cluster/:name/vms/:vm/\(action.rawValue)") { _, context in
                let (group, vm) = try clusterAndVM(context)
                let member = try await member(vm, of: group)
                let result: CometMember =
                    if action == .start { try await start(member) } else {
                        .live(try await fleet.perform(action, on: try await liveMachine(vm, of: group).id))
                    }
                return try JSONWire.response(wire(result, cluster: group.name))
            }
        }
        routes.post("/cluster/:name/vms/:vm/stop") { request, context in
            let (group, vm) = try clusterAndVM(context)
            let options = try await JSONWire.decode(CometStopOptions.self, from: request, context: context)
            let result = try await stop(
                try await member(vm, of: group), cluster: group.name, timeout: Self.timeout(options))
            return try JSONWire.response(wire(result, cluster: group.name))
        }
    }

    private func createVM(_ body: CometCreateVM, in group: Group) async throws -> Machine {
        if let name = body.name {
            try NameRules.validate(name, what: "VM name")
            if try await members(of: group).contains(where: { $0.name == name }) {
                throw SpecError.conflict("VM '\(name)' already exists in cluster '\(group.name)'")
            }
            if try await released.all().contains(where: { $0.name == name }) {
                throw SpecError.conflict("a released VM named '\(name)' exists; choose another name")
            }
        }
        if let backend = body.backend, !group.backends.contains(backend) {
            throw SpecError.invalid("backend '\(backend)' is not one of cluster '\(group.name)''s backends")
        }
        let vcpus = try body.cpus.map { try Measure.bounded($0, Limits.vcpus, field: "cpus") }
        let memory = try body.memory.map { try Limits.memoryKiB($0, .mib, field: "memory") }
        return try await fleet.createMachine(
            CreateMachineRequest(
                name: body.name, template: body.template, group: group.name, backend: body.backend, vcpus: vcpus,
                memoryKiB: memory))
    }
}
