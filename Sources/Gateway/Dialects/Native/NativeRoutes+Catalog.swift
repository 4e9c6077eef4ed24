import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension NativeDialect {
    func addCatalogRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/templates") { _, _ in
            try JSONWire.response(try await fleet.templates().map(NativeTemplate.init))
        }
        routes.post("/templates") { request, context in
            let body = try await JSONWire.decode(NativeTemplate.self, from: request, context: context)
            let template = try body.spec()
            try await fleet.createTemplate(template)
            return try JSONWire.response(
                NativeTemplate(template), status: .created,
                headers: [.location: environment.link("/templates/\(template.name)")])
        }
        routes.get("/templates/:name") { _, context in
            try JSONWire.response(
                NativeTemplate(try await fleet.requireTemplate(try context.parameters.require("name"))))
        }
        routes.put("/templates/:name") { request, context in
            let name = try context.parameters.require("name")
            let body = try await JSONWire.decode(NativeTemplate.self, from: request, context: context)
            let template = try body.spec(over: try await fleet.requireTemplate(name))
            try await fleet.updateTemplate(named: name, to: template)
            return try JSONWire.response(NativeTemplate(template))
        }
        routes.delete("/templates/:name") { _, context in
            try await fleet.deleteTemplate(named: try context.parameters.require("name"))
            return Response(status: .noContent)
        }
        routes.get("/groups") { _, _ in
            let machines = await fleet.machines().machines
            let counts = Dictionary(grouping: machines.compactMap(\.metadata.group), by: { $0 }).mapValues(\.count)
            return try JSONWire.response(fleet.groups.all.map { NativeGroup($0, machines: counts[$0.name] ?? 0) })
        }
        routes.get("/groups/:name") { _, context in
            let group = try fleet.groups.require(try context.parameters.require("name"))
            let members = await fleet.machines(group: group.name).machines.count
            return try JSONWire.response(NativeGroup(group, machines: members))
        }
    }
}
