import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension CometDialect {
    func addStoragePoolRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/storagepools") { request, _ in
            try JSONWire.response(try await fleet.storagePools(backend: backendParameter(request)).map(wire))
        }
        routes.get("/storagepools/:pool") { request, context in
            try JSONWire.response(
                wire(
                    try await fleet.storagePool(
                        try context.parameters.require("pool"), backend: backendParameter(request))))
        }
        for action in ["activate", "deactivate"] {
            routes.post("/storagepools/:pool/\(action)") { request, context in
                let pool = try context.parameters.require("pool")
                let result = try await fleet.onPool(pool, backend: backendParameter(request), action) {
                    try await $0.setStoragePool(named: pool, active: action == "activate")
                }
                return try JSONWire.response(wire(result))
            }
        }
        routes.get("/storagepools/:pool/storagevolumes") { request, context in
            let pool = try context.parameters.require("pool")
            let volumes = try await fleet.volumes(inPool: pool, backend: backendParameter(request))
            let machines = await fleet.machines().machines
            return try JSONWire.response(volumes.map { wire($0, machines: machines) })
        }
        routes.post("/storagepools/:pool/storagevolumes") { request, context in
            let pool = try context.parameters.require("pool")
            let body = try await JSONWire.decode(CometCreateVolume.self, from: request, context: context)
            let task = try await createVolume(body, inPool: pool, backend: backendParameter(request))
            let link = environment.link("/tasks/\(task.id)")
            return try JSONWire.response(wire(task), status: .accepted, headers: [.location: link])
        }
        routes.get("/storagepools/:pool/storagevolumes/:volume") { request, context in
            let volume = try await fleet.volume(
                try context.parameters.require("volume"), inPool: try context.parameters.require("pool"),
                backend: backendParameter(request))
            return try JSONWire.response(wire(volume, machines: await fleet.machines().machines))
        }
        routes.get("/tasks") { _, _ in
            try JSONWire.response(try await fleet.visibleTasks(limit: 100).map(wire))
        }
        routes.get("/tasks/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let task = try await fleet.visibleTask(id: id) else {
                throw SpecError.notFound("task '\(id)' not found")
            }
            return try JSONWire.response(wire(task))
        }
    }

    /// Validates a volume request and starts the task that creates (or imports) it.
    private func createVolume(_ body: CometCreateVolume, inPool pool: String, backend: String?) async throws
        -> TaskRecord
    {
        try NameRules.validate(body.name, what: "volume name")
        switch (body.capacity, body.url) {
        case (.some, .some): throw SpecError.invalid("specify only one of 'capacity' and 'url'")
        case (nil, nil): throw SpecError.invalid("specify one of 'capacity' (GB) and 'url'")
        default: break
        }
        let holder = try await fleet.backend(holdingPool: pool, backend: backend)
        if (try? await fleet.volume(body.name, inPool: pool, backend: holder.name)) != nil {
            throw SpecError.conflict("storage volume '\(body.name)' already exists in pool '\(pool)'")
        }
        let target = environment.link("/storagepools/\(pool)/storagevolumes/\(body.name)")
        let fleet = self.fleet
        if let capacity = body.capacity {
            let bytes = try Limits.diskBytes(capacity, .gib, field: "capacity")
            let spec = VolumeSpec(name: body.name, capacityBytes: bytes, format: body.format ?? "qcow2")
            guard ["qcow2", "raw"].contains(spec.format) else { throw SpecError.invalid("format must be qcow2 or raw") }
            return try await fleet.tasks.start(kind: "volume.create", target: target) { _ in
                _ = try await fleet.createVolume(spec, inPool: pool, backend: holder.name)
                return "storage volume '\(spec.name)' created"
            }
        }
        _ = try ImageSource.scheme(of: body.url ?? "")
        try holder.require(.volumeMaintenance, "volume imports")
        let source = try await CometVolumeImport(url: body.url ?? "", fleet: fleet)
        return try await fleet.tasks.start(kind: "volume.import", target: target) { progress in
            try await source.run(name: body.name, pool: pool, backend: holder, fleet: fleet, progress: progress)
        }
    }

    func wire(_ pool: StoragePool) -> CometStoragePool {
        CometStoragePool(
            name: pool.name, state: pool.active ? "active" : "inactive", path: pool.path, type: pool.type,
            capacity: pool.capacityBytes, allocated: pool.allocationBytes, available: pool.availableBytes,
            volumes: pool.volumeCount, host: pool.backend, href: environment.link("/storagepools/\(pool.name)"))
    }

    func wire(_ volume: StorageVolume, machines: [Machine]) -> CometStorageVolume {
        let users = machines.filter { machine in machine.disks.contains { $0.path == volume.path } }
        return CometStorageVolume(
            name: volume.name, state: users.isEmpty ? "unmapped" : "mapped",
            host: users.first?.backend ?? "", vms: users.map(\.id), zpool: volume.pool, target: "",
            capacity: volume.capacityBytes, allocation: volume.allocationBytes, format: volume.format,
            path: volume.path,
            href: environment.link("/storagepools/\(volume.pool)/storagevolumes/\(volume.name)"))
    }

    func backendParameter(_ request: Request) -> String? {
        request.uri.queryParameters["backend"].map(String.init)
    }
}
