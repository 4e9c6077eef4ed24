import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension IMDialect {
    func addVMRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/infrastructures/:id/vms/:vm") { request, context in
            let infrastructure = try await owned(try context.parameters.require("id"), by: try caller(request))
            let vm = try vm(try context.parameters.require("vm"), of: infrastructure)
            return try IMWire.respond(
                request, .radl(info(vm, infrastructure, try await machine(of: vm))), field: "radl")
        }
        routes.get("/infrastructures/:id/vms/:vm/:property") { request, context in
            let infrastructure = try await owned(try context.parameters.require("id"), by: try caller(request))
            let vm = try vm(try context.parameters.require("vm"), of: infrastructure)
            let property = try context.parameters.require("property")
            if property == "contmsg" { return try IMWire.respond(request, .text(vm.contmsg), field: property) }
            let system = info(vm, infrastructure, try await machine(of: vm)).systems[0]
            let matching = system.features.filter { $0.name == property }
            guard let feature = matching.last else {
                throw IMFailure(404, "Incorrect property \(property) for VM ID \(vm.id)")
            }
            if feature.op == "contains" {
                return try IMWire.respond(request, .json(matching.map { RADLJSON.simple($0.value) }), field: property)
            }
            switch feature.value {
            case .string(let text): return try IMWire.respond(request, .text(text), field: property)
            default: return try IMWire.respond(request, .json(RADLJSON.simple(feature.value)), field: property)
            }
        }
        routes.put("/infrastructures/:id/vms/:vm") { request, context in
            let infrastructure = try await owned(try context.parameters.require("id"), by: try caller(request))
            let vm = try vm(try context.parameters.require("vm"), of: infrastructure)
            let document = try await IMWire.document(request, context: context)
            let altered = try await alter(vm, of: infrastructure, with: document)
            return try IMWire.respond(request, .radl(altered), field: "radl")
        }
        routes.delete("/infrastructures/:id/vms/:vm") { request, context in
            let infrastructure = try await owned(try context.parameters.require("id"), by: try caller(request))
            _ = try IMWire.flag(request.uri.queryParameters["context"], default: true, name: "context")
            let raw = try context.parameters.require("vm")
            let vms = try raw.split(separator: ",").map {
                try vm(String($0).trimmingCharacters(in: .whitespaces), of: infrastructure)
            }
            guard !vms.isEmpty else { throw IMFailure(400, "No VM ID given") }
            for vm in vms { try await undeploy(vm) }
            let removed = Set(vms.map(\.id))
            try await repository.update(infrastructure.id) { current in
                current.vms.removeAll { removed.contains($0.id) }
                current.contmsg += "Removed VMs \(removed.sorted().map(String.init).joined(separator: ", ")).\n"
            }
            return IMWire.empty()
        }
        routes.put("/infrastructures/:id/vms/:vm/:property") { request, context in
            let infrastructure = try await owned(try context.parameters.require("id"), by: try caller(request))
            let vm = try vm(try context.parameters.require("vm"), of: infrastructure)
            switch try context.parameters.require("property") {
            case "start": try await power(infrastructure, vm, .start)
            case "stop": try await power(infrastructure, vm, .poweroff)
            case "reboot":
                guard let id = vm.machine else { throw IMFailure(400, "VM \(vm.id) was never created") }
                let machine = try await fleet.machine(id)
                _ = try await fleet.perform(machine.state == .running ? .reset : .start, on: id)
            case let other: throw IMFailure(404, "Operation not found: \(other)")
            }
            return IMWire.empty()
        }
        routes.put("/infrastructures/:id/vms/:vm/disks/:disk/snapshot") { request, context in
            let infrastructure = try await owned(try context.parameters.require("id"), by: try caller(request))
            let vm = try vm(try context.parameters.require("vm"), of: infrastructure)
            let url = try await snapshot(
                vm, of: infrastructure, request: request, disk: try context.parameters.require("disk"))
            return JSONWire.bytes(Array(url.utf8), contentType: "text/plain")
        }
    }

    /// Applies `cpu.count` and `memory.size` of the RADL's system (powering the machine off and on
    /// again when it runs) and returns the VM's new RADL.
    func alter(_ vm: IMVM, of infrastructure: IMInfrastructure, with document: RADLDocument) async throws
        -> RADLDocument
    {
        guard let system = document.systems.first(where: { !$0.reference }) else {
            throw IMFailure(400, "The RADL must contain a system with the features to change")
        }
        guard let id = vm.machine else { throw IMFailure(400, "VM \(vm.id) was never created") }
        var update = MachineUpdate()
        update.vcpus = try Self.vcpus(system)
        update.memoryKiB = try Self.memoryKiB(system)
        if update.touchesHardware {
            let before = try await fleet.machine(id)
            let wasActive = before.state.isActive
            if wasActive { _ = try await fleet.perform(.poweroff, on: id) }
            do { _ = try await fleet.updateMachine(id, update) } catch {
                if wasActive { _ = try? await fleet.perform(.start, on: id) }
                throw error
            }
            if wasActive { _ = try await fleet.perform(.start, on: id) }
        }
        let updated = try await repository.update(infrastructure.id) { current in
            if let index = current.vms.firstIndex(where: { $0.id == vm.id }) {
                current.vms[index].system = current.vms[index].system.merging(system)
            }
        }
        guard let changed = updated.vm(vm.id) else { throw IMFailure(404, "VM \(vm.id) vanished") }
        return info(changed, updated, try await machine(of: changed))
    }
}
