import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension KimchiDialect {
    /// The reserved pool that aggregates the ISO images of every active pool.
    static let isoPool = "kimchi_isos"

    func addPoolRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/storagepools") { _, _ in
            try JSONWire.response(try await fleet.storagePools().map(pool))
        }
        routes.post("/storagepools") { request, context in
            let body = try await JSONWire.decode(KimchiCreatePool.self, from: request, context: context)
            guard body.name != Self.isoPool else {
                throw SpecError.invalid("'\(Self.isoPool)' is a reserved storage pool name")
            }
            try NameRules.validate(body.name, what: "storage pool name")
            guard body.type == "dir" else {
                throw SpecError.invalid("only storage pools of type 'dir' can be created, not '\(body.type)'")
            }
            guard let path = body.path, path.hasPrefix("/") else {
                throw SpecError.invalid("a 'dir' storage pool needs an absolute 'path'")
            }
            guard let name = defaultBackend else { throw SpecError.unavailable("no backend is configured") }
            let created = try await fleet.createStoragePool(
                StoragePoolSpec(name: body.name, type: "dir", path: path), backend: name)
            let wire = pool(created)
            return try JSONWire.response(wire, status: .created, headers: [.location: wire.href])
        }
        routes.get("/storagepools/:pool") { _, context in
            let name = try context.parameters.require("pool")
            if name == Self.isoPool { return try JSONWire.response(try await isoPoolWire()) }
            return try JSONWire.response(pool(try await fleet.storagePool(name)))
        }
        routes.delete("/storagepools/:pool") { _, context in
            let name = try context.parameters.require("pool")
            guard name != Self.isoPool else { throw SpecError.invalid("'\(Self.isoPool)' cannot be deleted") }
            try await fleet.onPool(name, "deleteStoragePool") { backend in
                try backend.require(.poolManagement, "storage pool removal")
                try await backend.deleteStoragePool(named: name)
            }
            return Response(status: .noContent)
        }
        routes.post("/storagepools/:pool/:action") { _, context in
            let name = try context.parameters.require("pool")
            let action = try context.parameters.require("action")
            guard action == "activate" || action == "deactivate" else {
                throw SpecError.invalid("unknown storage pool action '\(action)'; expected activate or deactivate")
            }
            guard name != Self.isoPool else { throw SpecError.invalid("'\(Self.isoPool)' is always active") }
            let result = try await fleet.onPool(name, action) {
                try await $0.setStoragePool(named: name, active: action == "activate")
            }
            return try JSONWire.response(pool(result))
        }
    }

    /// ISO volumes of every active pool.
    func isoVolumes() async throws -> [StorageVolume] {
        var volumes: [StorageVolume] = []
        for pool in try await fleet.storagePools() where pool.active {
            guard let list = try? await fleet.volumes(inPool: pool.name, backend: pool.backend) else { continue }
            volumes += list.filter(Self.isISO)
        }
        return volumes
    }

    private func isoPoolWire() async throws -> KimchiPool {
        let volumes = try await isoVolumes()
        let capacity = volumes.reduce(0) { $0 + $1.capacityBytes }
        let allocated = volumes.reduce(0) { $0 + $1.allocationBytes }
        return KimchiPool(
            name: Self.isoPool, state: "active", path: nil, type: "kimchi-iso", capacity: capacity >> 20,
            allocated: allocated >> 20, available: 0, nr_volumes: volumes.count, autostart: true,
            href: environment.link("/storagepools/\(Self.isoPool)"))
    }
}
