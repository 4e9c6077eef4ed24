import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension NativeDialect {
    func addSystemRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/tasks") { request, _ in
            let limit =
                try request.uri.queryParameters["limit"].map { try Self.nonNegative(String($0), "limit") } ?? 100
            return try JSONWire.response(try await fleet.visibleTasks(limit: limit))
        }
        routes.get("/tasks/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let task = try await fleet.visibleTask(id: id) else {
                throw SpecError.notFound("no task with id '\(id)'")
            }
            return try JSONWire.response(task)
        }
        routes.get("/backends") { _, _ in
            try JSONWire.response(await fleet.backendStatuses())
        }
        routes.get("/backends/:name") { _, context in
            let backend = try fleet.backends.backend(try context.parameters.require("name"))
            return try JSONWire.response(await fleet.status(of: backend))
        }
        let document = NativeOpenAPI.document(prefix: environment.prefix)
        routes.get("/openapi.json") { _, _ in
            JSONWire.bytes(document)
        }
    }
}
