import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension KimchiDialect {
    func addVolumeRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/storagepools/:pool/storagevolumes") { _, context in
            let pool = try context.parameters.require("pool")
            let volumes = pool == Self.isoPool ? try await isoVolumes() : try await fleet.volumes(inPool: pool)
            let users = await usersByPath()
            return try JSONWire.response(volumes.map { volume($0, usedBy: users[$0.path] ?? []) })
        }
        routes.post("/storagepools/:pool/storagevolumes") { request, context in
            let pool = try context.parameters.require("pool")
            guard pool != Self.isoPool else {
                throw SpecError.invalid("volumes cannot be created in '\(Self.isoPool)'; create them in a real pool")
            }
            let body = try await JSONWire.decode(KimchiCreateVolume.self, from: request, context: context)
            guard body.type == nil || body.type == "file" else {
                throw SpecError.invalid("only volumes of type 'file' can be created, not '\(body.type ?? "")'")
            }
            let bytes = try Self.bytes(megabytes: body.capacity, what: "capacity")
            let created = try await fleet.createVolume(
                VolumeSpec(name: body.name, capacityBytes: bytes, format: body.format ?? "qcow2"), inPool: pool)
            let wire = volume(created, usedBy: [])
            return try JSONWire.response(wire, status: .created, headers: [.location: wire.href])
        }
        routes.get("/storagepools/:pool/storagevolumes/:volume") { _, context in
            let found = try await lookUpVolume(context)
            return try JSONWire.response(volume(found, usedBy: await usersByPath()[found.path] ?? []))
        }
        routes.delete("/storagepools/:pool/storagevolumes/:volume") { _, context in
            let found = try await lookUpVolume(context)
            try await fleet.deleteVolume(found.name, inPool: found.pool, backend: found.backend)
            return Response(status: .noContent)
        }
        routes.post("/storagepools/:pool/storagevolumes/:volume/:action") { request, context in
            let action = try context.parameters.require("action")
            guard action == "resize" || action == "wipe" else {
                throw SpecError.invalid("unknown storage volume action '\(action)'; expected resize or wipe")
            }
            // The request is checked before the backend's capabilities: a malformed one is 400, not 501.
            let bytes =
                action == "resize"
                ? try Self.bytes(
                    megabytes: try await JSONWire.decode(KimchiResizeVolume.self, from: request, context: context).size,
                    what: "size") : nil
            let found = try await lookUpVolume(context)
            let backend = try fleet.backends.backend(found.backend)
            try backend.require(.volumeMaintenance, "volume \(action)")
            try await fleet.requireMaintainable(found, destroying: action == "wipe")
            let target = environment.link("/storagepools/\(found.pool)/storagevolumes/\(found.name)")
            let fleet = self.fleet
            let record: TaskRecord
            if let bytes {
                record = try await fleet.tasks.start(
                    kind: "volume.resize", target: target, message: "resizing '\(found.name)'"
                ) { _ in
                    let resized = try await fleet.call(backend, "resizeVolume") {
                        try await $0.resizeVolume(named: found.name, inPool: found.pool, capacityBytes: bytes)
                    }
                    return "volume '\(found.name)' resized to \(resized.capacityBytes >> 20) MB"
                }
            } else {
                record = try await fleet.tasks.start(
                    kind: "volume.wipe", target: target, message: "wiping '\(found.name)'"
                ) { _ in
                    try await fleet.call(backend, "wipeVolume") {
                        try await $0.wipeVolume(named: found.name, inPool: found.pool)
                    }
                    return "volume '\(found.name)' wiped"
                }
            }
            return try JSONWire.response(
                task(record), status: .accepted, headers: [.location: environment.link("/tasks/\(record.id)")])
        }
    }

    /// The volume a route addresses; in `kimchi_isos` the first ISO of that name in any active pool.
    private func lookUpVolume(_ context: GatewayContext) async throws -> StorageVolume {
        let pool = try context.parameters.require("pool")
        let name = try context.parameters.require("volume")
        guard pool == Self.isoPool else { return try await fleet.volume(name, inPool: pool) }
        guard let found = try await isoVolumes().first(where: { $0.name == name }) else {
            throw SpecError.notFound("no ISO volume named '\(name)' in any active storage pool")
        }
        return found
    }

    /// Names of the VMs using each disk path.
    func usersByPath() async -> [String: [String]] {
        var users: [String: [String]] = [:]
        for machine in await fleet.machines().machines {
            for path in Set(machine.disks.compactMap(\.path)) { users[path, default: []].append(machine.name) }
        }
        return users
    }

    /// Bytes from a size in MB, within the gateway's disk limits.
    static func bytes(megabytes: Int, what: String) throws -> Int {
        try Limits.diskBytes(megabytes, .mib, field: what)
    }
}
