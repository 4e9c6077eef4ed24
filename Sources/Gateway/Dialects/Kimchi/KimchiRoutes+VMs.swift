import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension KimchiDialect {
    func addVMRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/vms") { _, _ in
            let list = await fleet.machines()
            if list.machines.isEmpty, !list.warnings.isEmpty {
                throw SpecError.unavailable(list.warnings.joined(separator: "; "))
            }
            let body = try listCache.body(key: "vms", version: list.version) {
                ByteBuffer(bytes: try JSONWire.makeEncoder().encode(list.machines.map(summary)))
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
        }
        routes.post("/vms") { request, context in
            try await createVM(try await JSONWire.decode(KimchiCreateVM.self, from: request, context: context))
        }
        routes.get("/vms/:name") { _, context in
            try await vmResponse(try await fleet.machine(try context.parameters.require("name")))
        }
        routes.put("/vms/:name") { request, context in
            let id = try context.parameters.require("name")
            let body = try await JSONWire.decode(KimchiUpdateVM.self, from: request, context: context)
            return try await vmResponse(try await updateVM(id, body))
        }
        routes.delete("/vms/:name") { _, context in
            let machine = try await fleet.machine(try context.parameters.require("name"))
            try await fleet.deleteMachine(machine.id, options: DeleteOptions(removeOwnedDisks: true, force: true))
            sampler.forget(machine.uuid)
            screenshots.forget(machine.uuid)
            return Response(status: .noContent)
        }
        routes.get("/vms/:name/screenshot") { _, context in
            let machine = try await fleet.machine(try context.parameters.require("name"))
            guard machine.state == .running else {
                throw KimchiError(
                    status: .notFound,
                    .notFound(
                        "unable to take a screenshot: VM '\(machine.name)' is \(Self.state(machine.state)), not running"
                    ))
            }
            try fleet.backends.backend(machine.backend).require(.screenshots, "screenshots")
            let file = try await screenshots.capture(machine, fleet: fleet)
            return Response(
                status: .seeOther,
                headers: [.location: environment.link("/screenshots/\(file)"), .cacheControl: "no-store"])
        }
        routes.get("/screenshots/:file") { _, context in
            let file = try context.parameters.require("file")
            guard let png = screenshots.image(file) else {
                throw SpecError.notFound("screenshot '\(file)' is not available; request the VM's screenshot again")
            }
            return JSONWire.bytes(png, headers: [.cacheControl: "private, max-age=60"], contentType: "image/png")
        }
        routes.post("/vms/:name/:action") { _, context in
            let name = try context.parameters.require("action")
            guard let action = Self.vmActions[name] else {
                throw SpecError.invalid(
                    "unknown VM action '\(name)'; expected one of \(Self.vmActions.keys.sorted().joined(separator: ", "))"
                )
            }
            let machine = try await fleet.perform(action, on: try context.parameters.require("name"))
            if machine.state != .running { screenshots.forget(machine.uuid) }
            return try await vmResponse(machine)
        }
    }

    /// The full representation of a VM, with fresh statistics.
    func vmResponse(_ machine: Machine, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) async throws
        -> Response
    {
        let backend = try? fleet.backends.backend(machine.backend)
        var stats = KimchiStatsSampler.idle
        if backend?.capabilities.contains(.stats) ?? false {
            do { stats = try await sampler.stats(of: machine, fleet: fleet) } catch {
                environment.logger.warning(
                    "could not read VM statistics", metadata: ["vmgate.machine": "\(machine.id)", "error": "\(error)"])
            }
        }
        var screenshot: String?
        if machine.state == .running, backend?.capabilities.contains(.screenshots) ?? false {
            screenshot =
                screenshots.fresh(machine.uuid).map { environment.link("/screenshots/\($0)") }
                ?? environment.link("/vms/\(reference(machine))/screenshot")
        }
        var icon = Self.icon(machine)
        if icon == nil, let template = machine.metadata.template {
            icon = try? await fleet.store.template(named: template)?.icon
        }
        let wire = full(machine, stats: stats, screenshot: screenshot, icon: icon)
        return try JSONWire.response(wire, status: status, headers: headers)
    }

    private func updateVM(_ id: String, _ body: KimchiUpdateVM) async throws -> Machine {
        let machine = try await fleet.machine(id)
        if let name = body.name, name != machine.name {
            try NameRules.validate(name, what: "VM name")
            throw SpecError.invalid("renaming VMs is not supported by this gateway; '\(machine.name)' keeps its name")
        }
        guard body.cpus != nil || body.memory != nil else { return machine }
        if let cpus = body.cpus { try Limits.validate(vcpus: cpus) }
        let memory = try body.memory.map { try Self.kibibytes(megabytes: $0) }
        return try await fleet.updateMachine(machine.id, MachineUpdate(vcpus: body.cpus, memoryKiB: memory))
    }
}
