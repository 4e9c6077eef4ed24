import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension NativeDialect {
    func addMachineRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/machines") { request, _ in try await listMachines(request) }
        routes.post("/machines") { request, context in
            let body = try await JSONWire.decode(NativeCreateMachine.self, from: request, context: context)
            let machine = try await fleet.createMachine(try body.coreRequest())
            let wire = NativeMachine(machine, prefix: environment.prefix)
            return try JSONWire.response(wire, status: .created, headers: [.location: wire.links.`self`])
        }
        routes.get("/machines/:id") { _, context in
            try machineResponse(try await fleet.machine(try context.parameters.require("id")))
        }
        routes.patch("/machines/:id") { request, context in
            let id = try context.parameters.require("id")
            let body = try await JSONWire.decode(NativeUpdateMachine.self, from: request, context: context)
            return try machineResponse(try await update(id, body))
        }
        routes.delete("/machines/:id") { request, context in
            let keepDisks =
                try Self.flag(request.uri.queryParameters["keepDisks"].map(String.init), "keepDisks") ?? false
            try await fleet.deleteMachine(
                try context.parameters.require("id"), options: DeleteOptions(removeOwnedDisks: !keepDisks))
            return Response(status: .noContent)
        }
        routes.post("/machines/:id/actions/:action") { _, context in
            let name = try context.parameters.require("action")
            guard let action = MachineAction(rawValue: name) else {
                let known = MachineAction.allCases.map(\.rawValue).joined(separator: ", ")
                throw SpecError.invalid("unknown action '\(name)'; expected one of \(known)")
            }
            return try machineResponse(try await fleet.perform(action, on: try context.parameters.require("id")))
        }
    }

    func machineResponse(_ machine: Machine, status: HTTPResponse.Status = .ok) throws -> Response {
        try JSONWire.response(NativeMachine(machine, prefix: environment.prefix), status: status)
    }

    private func listMachines(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let offset = try query["offset"].map { try Self.nonNegative(String($0), "offset") } ?? 0
        let limit = try query["limit"].map { try Self.nonNegative(String($0), "limit") }
        var state: MachineState?
        if let raw = query["state"] {
            guard let parsed = MachineState(rawValue: String(raw)) else {
                throw SpecError.invalid("unknown state '\(raw)'")
            }
            state = parsed
        }
        let backend = query["backend"].map(String.init)
        if let backend { _ = try fleet.backends.backend(backend) }
        let list = await fleet.machines(group: query["group"].map(String.init), backend: backend)
        let matching = state.map { state in list.machines.filter { $0.state == state } } ?? list.machines
        let body = try listCache.body(key: request.uri.query ?? "", version: list.version) {
            let page = matching.dropFirst(offset).prefix(limit ?? Int.max)
            let wire = NativeMachinePage(
                items: page.map { NativeMachine($0, prefix: environment.prefix) }, total: matching.count,
                offset: offset, limit: limit, warnings: list.warnings)
            return ByteBuffer(bytes: try JSONWire.makeEncoder().encode(wire))
        }
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers[HTTPField.Name("X-Total-Count")!] = "\(matching.count)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    private func update(_ id: String, _ body: NativeUpdateMachine) async throws -> Machine {
        var machine: Machine?
        if body.vcpus != nil || body.memoryMiB != nil {
            let vcpus = try body.vcpus.map { try Measure.bounded($0, Limits.vcpus, field: "vcpus") }
            let memory = try body.memoryMiB.map { try Limits.memoryKiB($0, .mib, field: "memoryMiB") }
            machine = try await fleet.updateMachine(id, MachineUpdate(vcpus: vcpus, memoryKiB: memory))
        }
        if body.tags != nil || body.lifetimeHours != nil || body.group != nil {
            if let group = body.group { _ = try fleet.groups.require(group) }
            if let hours = body.lifetimeHours { try Limits.lifetime(hours: hours, field: "lifetimeHours") }
            machine = try await fleet.updateMetadata(machine?.id ?? id) { metadata in
                if let tags = body.tags { metadata.tags = tags }
                if let hours = body.lifetimeHours { metadata.lifetimeHours = hours }
                if let group = body.group { metadata.group = group }
            }
        }
        if let machine { return machine }
        return try await fleet.machine(id)
    }

    static func nonNegative(_ raw: String, _ name: String) throws -> Int {
        guard let value = Int(raw), value >= 0 else {
            throw SpecError.invalid("\(name) must be a non-negative integer")
        }
        return value
    }
}
