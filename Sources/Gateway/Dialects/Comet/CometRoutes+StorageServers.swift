import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension CometDialect {
    func addStorageServerRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/storageservers") { _, _ in
            var servers: [CometStorageServer] = []
            for backend in fleet.backends.all where backend.capabilities.contains(.storage) {
                servers.append(await server(backend))
            }
            return try JSONWire.response(servers)
        }
        routes.get("/storageservers/:host") { _, context in
            try JSONWire.response(await server(try storageServer(try context.parameters.require("host"))))
        }
        routes.get("/storageservers/:host/storagezpools") { _, context in
            let backend = try storageServer(try context.parameters.require("host"))
            let pools = try await fleet.storagePools(backend: backend.name)
            return try JSONWire.response(
                pools.map {
                    CometZpool(
                        host: backend.name, zpool: $0.name, state: $0.active ? "active" : "inactive",
                        capacity: $0.capacityBytes, available: $0.availableBytes)
                })
        }
    }

    private func storageServer(_ host: String) throws -> any Backend {
        guard let backend = try? fleet.backends.backend(host), backend.capabilities.contains(.storage) else {
            throw SpecError.notFound("storage server '\(host)' not found")
        }
        return backend
    }

    private func server(_ backend: any Backend) async -> CometStorageServer {
        let link = environment.link("/storageservers/\(backend.name)")
        return CometStorageServer(
            host: backend.name, endpoint: backend.endpoint, kind: backend.kind, healthy: await backend.health().healthy,
            zpools: link + "/storagezpools", href: link)
    }
}
