import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension KimchiDialect {
    func addSystemRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/tasks") { request, _ in
            var tasks = try await fleet.visibleTasks(limit: 1000)
            if let status = request.uri.queryParameters["status"] {
                guard TaskRecord.Status(rawValue: String(status)) != nil else {
                    throw SpecError.invalid("status must be running, finished or failed, not '\(status)'")
                }
                tasks = tasks.filter { $0.status.rawValue == String(status) }
            }
            return try JSONWire.response(tasks.map(task))
        }
        routes.get("/tasks/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let record = try await fleet.visibleTask(id: id) else {
                throw SpecError.notFound("no task with id '\(id)'")
            }
            return try JSONWire.response(task(record))
        }
        routes.get("/config") { request, _ in
            try JSONWire.response(
                KimchiConfig(http_port: Self.port(of: request), display_proxy_port: nil, version: "vmgate"))
        }
        routes.get("/config/capabilities") { _, _ in
            let backend = defaultBackend.flatMap { try? fleet.backends.backend($0) }
            var byBackend: [String: [String]] = [:]
            for backend in fleet.backends.all { byBackend[backend.name] = backend.capabilities.names }
            return try JSONWire.response(
                KimchiCapabilities(
                    stream_protocols: [], qemu_stream: false,
                    screenshot: backend.map { $0.capabilities.contains(.screenshots) }, backends: byBackend))
        }
    }

    /// The port the client reached the server on: from the `Host` header, else the scheme's default.
    static func port(of request: Request) -> Int {
        let authority = request.headers[HTTPField.Name("Host")!] ?? request.head.authority ?? ""
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]"),
            let port = Int(authority[authority.index(after: colon)...])
        {
            return port
        }
        return request.head.scheme == "https" ? 443 : 80
    }
}
