import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension IMDialect {
    func addInfrastructureRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/infrastructures") { request, _ in
            let caller = try caller(request)
            var infrastructures = try await repository.list(for: caller)
            if let filter = request.uri.queryParameters["filter"].map(String.init), !filter.isEmpty {
                // IM filters the list with a regular expression over each infrastructure's RADL; PCRE2
                // with a bound on backtracking, so a catastrophic pattern is refused, not run for minutes.
                let pattern: BoundedRegex
                do { pattern = try BoundedRegex(filter) } catch {
                    throw IMFailure(400, "Invalid filter regular expression: \(SpecError.wrap(error).message)")
                }
                do { infrastructures = try infrastructures.filter { try pattern.matches($0.document.text) } } catch {
                    throw IMFailure(400, "Invalid filter regular expression: \(SpecError.wrap(error).message)")
                }
            }
            let uris = infrastructures.map { infrastructureURI(request, $0.id) }
            return try IMWire.respond(
                request, .list(uris), defaultType: "text/uri-list", field: "uri-list", listField: "uri")
        }
        routes.post("/infrastructures") { request, context in
            let caller = try caller(request)
            let document = try await IMWire.document(request, context: context)
            let id = try await create(document, caller: caller)
            return try IMWire.respond(
                request, .text(infrastructureURI(request, id)), defaultType: "text/uri-list", field: "uri",
                headers: [HTTPField.Name("InfID")!: id])
        }
        routes.get("/infrastructures/:id") { request, context in
            let infrastructure = try await owned(try context.parameters.require("id"), by: try caller(request))
            let uris = infrastructure.vms.map { vmURI(request, infrastructure.id, $0.id) }
            return try IMWire.respond(
                request, .list(uris), defaultType: "text/uri-list", field: "uri-list", listField: "uri")
        }
        routes.post("/infrastructures/:id") { request, context in
            let infrastructure = try await owned(try context.parameters.require("id"), by: try caller(request))
            let contextualize = try IMWire.flag(request.uri.queryParameters["context"], default: true, name: "context")
            let document = try await IMWire.document(request, context: context)
            let added = try await addResources(document, to: infrastructure, contextualize: contextualize)
            return try IMWire.respond(
                request, .list(added.map { vmURI(request, infrastructure.id, $0) }), defaultType: "text/uri-list",
                field: "uri-list", listField: "uri", headers: [HTTPField.Name("InfID")!: infrastructure.id])
        }
        routes.delete("/infrastructures/:id") { request, context in
            let infrastructure = try await owned(try context.parameters.require("id"), by: try caller(request))
            try await destroy(infrastructure)
            return IMWire.empty()
        }
        routes.put("/infrastructures/:id/:property") { request, context in
            let infrastructure = try await owned(try context.parameters.require("id"), by: try caller(request))
            switch try context.parameters.require("property") {
            case "start": try await power(infrastructure, start: true)
            case "stop": try await power(infrastructure, start: false)
            case "reconfigure":
                let vmList = try parseVMList(request.uri.queryParameters["vm_list"])
                let document = try await IMWire.document(request, context: context)
                try await reconfigure(infrastructure, document, vmList: vmList)
            case let other: throw IMFailure(404, "Operation not found: \(other)")
            }
            var response = IMWire.empty()
            response.headers[HTTPField.Name("InfID")!] = infrastructure.id
            return response
        }
    }

    func parseVMList(_ raw: Substring?) throws -> [Int]? {
        guard let raw, !raw.isEmpty else { return nil }
        var ids: [Int] = []
        for part in raw.split(separator: ",") {
            guard let id = Int(part.trimmingCharacters(in: .whitespaces)) else {
                throw IMFailure(400, "Incorrect vm_list format.")
            }
            ids.append(id)
        }
        return ids
    }

    /// Validates, records and deploys a new infrastructure; returns its id.
    func create(_ document: RADLDocument, caller: IMCaller) async throws -> String {
        try document.validate()
        let base = try baseGroup(caller)
        if let backend = caller.backend { _ = try fleet.backends.backend(backend) }
        let id = UUID().uuidString.lowercased()
        let groupName = "im-" + id
        try await fleet.groups.create(
            Group(
                name: groupName, backends: caller.backend.map { [$0] } ?? base.backends, template: base.template,
                lifetimeHours: base.lifetimeHours, placement: base.placement,
                options: ["im.infrastructure": id, "im.owner": caller.user]))
        let infrastructure = IMInfrastructure(
            id: id, owner: caller.user, credential: IMCredential(password: caller.password), document: RADLDocument(),
            group: groupName, backend: caller.backend)
        do {
            try await repository.save(infrastructure)
            _ = try await addResources(document, to: infrastructure, contextualize: true)
        } catch {
            // Nothing half-created: undo whatever was deployed.
            if let partial = try? await repository.get(id) {
                try? await destroy(partial)
            } else {
                try? await fleet.groups.delete(groupName)
            }
            throw error
        }
        return id
    }

    /// The group new infrastructures copy their template, backends and placement from.
    func baseGroup(_ caller: IMCaller) throws -> Group {
        guard let name = caller.group ?? environment.options["group"] ?? fleet.defaultGroup else {
            throw IMFailure(400, "No group is configured for IM infrastructures")
        }
        guard let group = fleet.groups.group(name) else { throw IMFailure(400, "No vmgate group named '\(name)'") }
        return group
    }

    /// Undeploys every VM, removes auto-delete snapshots, the group and the record.
    func destroy(_ infrastructure: IMInfrastructure) async throws {
        for vm in infrastructure.vms { try await undeploy(vm) }
        for snapshot in infrastructure.snapshots where snapshot.autoDelete { await deleteSnapshot(snapshot) }
        try? await fleet.groups.delete(infrastructure.group)
        try await repository.remove(infrastructure.id)
    }

    /// Starts or stops every VM that is not already in that state.
    func power(_ infrastructure: IMInfrastructure, start: Bool) async throws {
        for vm in infrastructure.vms { try await power(infrastructure, vm, start ? .start : .poweroff) }
    }

    /// Merges the RADL into the infrastructure's and re-runs contextualization on the chosen VMs.
    func reconfigure(_ infrastructure: IMInfrastructure, _ document: RADLDocument, vmList: [Int]?) async throws {
        try document.validate(known: infrastructure.document)
        guard document.deploys.isEmpty else { throw IMFailure(400, "Reconfigure does not accept deploy sentences") }
        for id in vmList ?? [] where infrastructure.vm(id) == nil {
            throw IMFailure(404, "Invalid VM ID \(id) in infrastructure \(infrastructure.id)")
        }
        let merged = infrastructure.document.merging(document)
        var updated = infrastructure
        updated.document = merged
        for index in updated.vms.indices where vmList?.contains(updated.vms[index].id) ?? true {
            if let system = document.system(updated.vms[index].system.id) {
                updated.vms[index].system = updated.vms[index].system.merging(system)
            }
            let outcome = await contextualize(updated.vms[index], in: updated, document: merged)
            updated.vms[index].contextualized = outcome.ok
            updated.vms[index].contmsg += outcome.message
        }
        let final = updated
        try await repository.update(infrastructure.id) { current in
            current.document = final.document
            for vm in final.vms {
                if let index = current.vms.firstIndex(where: { $0.id == vm.id }) { current.vms[index] = vm }
            }
            current.contmsg += "Reconfigured at \(ISO8601DateFormatter().string(from: Date())).\n"
        }
    }
}
