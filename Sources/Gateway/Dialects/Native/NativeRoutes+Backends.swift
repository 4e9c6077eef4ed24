import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

/// Backend-level routes: every ``Backend`` operation of one backend, with the Spec types as
/// request and response bodies. Dates are Foundation's `.deferredToDate` (seconds since
/// 2001-01-01 as a number), so nothing is rounded on the way. This is what a `proxy` backend
/// of another vmgate speaks; machine names are the backend's own.
///
///     GET    /backends/:name/health | /host
///     GET    /backends/:name/machines            POST (MachineSpec) → 201 Machine
///     GET    /backends/:name/machines/:machine   PATCH (MachineUpdate)   DELETE ?removeOwnedDisks&force
///     POST   /backends/:name/machines/:machine/actions/:action | /release
///     GET    /backends/:name/machines/:machine/stats | /screenshot | /definition
///     POST   /backends/:name/definitions         (domain XML) → 201 Machine
///     GET    /backends/:name/machines/:machine/snapshots     POST (SnapshotSpec)
///     POST   /backends/:name/machines/:machine/snapshots/:snapshot/revert    DELETE …/:snapshot
///     POST   /backends/:name/machines/:machine/disks (DiskAttachment)        DELETE …/disks/:target
///     GET    /backends/:name/pools               POST (StoragePoolSpec)
///     GET    /backends/:name/pools/:pool         PATCH {"active": Bool}      DELETE
///     GET    /backends/:name/pools/:pool/volumes POST (VolumeSpec)
///     GET    /backends/:name/pools/:pool/volumes/:volume   DELETE
///     POST   /backends/:name/pools/:pool/volumes/:volume/resize {"capacityBytes": Int} | /wipe
///     POST   /backends/:name/pools/:pool/uploads?name=&format=   (image bytes) → 201 StorageVolume
///     PUT    /backends/:name/pools/:pool/volumes/:volume/content?format=   (image bytes) → StorageVolume
///     POST   /backends/:name/machines/:machine/disks/:target/copy {"pool", "volume"} → 201 StorageVolume
///
/// Also `GET /groups/:name/routing`: the group's backends and the machines of the group that
/// live on other backends (`unreachableMachines`), e.g. after the group was moved in configuration.
extension NativeDialect {
    func addBackendRoutes(to routes: RouteCollection<GatewayContext>, enabled: Bool) {
        routes.get("/backends/:name/health") { _, context in
            let backend = try backend(context)
            return try specResponse(await fleet.health(of: backend))
        }
        routes.get("/backends/:name/host") { _, context in
            try specResponse(try await on(context, "hostInfo") { try await $0.hostInfo() })
        }
        routes.get("/groups/:name/routing") { _, context in
            try JSONWire.response(try await fleet.routing(ofGroup: try context.parameters.require("name")))
        }
        guard enabled else {
            for path in ["/backends/:name/machines", "/backends/:name/definitions", "/backends/:name/pools"] {
                for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
                    for suffix in ["", "/**"] {
                        routes.on(RouterPath(path + suffix), method: method) { _, _ -> Response in
                            throw SpecError.notFound(
                                "backend-level routes are disabled; an operator enables them with the native option 'backendRoutes'"
                            )
                        }
                    }
                }
            }
            return
        }
        addBackendMachineRoutes(to: routes)
        addBackendMachineDetailRoutes(to: routes)
        addBackendStorageRoutes(to: routes)
        addBackendImageRoutes(to: routes)
    }

    private func addBackendMachineRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/backends/:name/machines") { _, context in
            try specResponse(try await on(context, "machines") { try await $0.machines() })
        }
        routes.post("/backends/:name/machines") { request, context in
            let spec = try await specBody(MachineSpec.self, request, context)
            try Fleet.validate(spec)
            return try specResponse(
                try await on(context, "createMachine") { try await $0.createMachine(spec) }, status: .created)
        }
        routes.get("/backends/:name/machines/:machine") { _, context in
            let name = try context.parameters.require("machine")
            return try specResponse(try await on(context, "machine") { try await $0.machine(named: name) })
        }
        routes.patch("/backends/:name/machines/:machine") { request, context in
            let name = try context.parameters.require("machine")
            let update = try await specBody(MachineUpdate.self, request, context)
            if let vcpus = update.vcpus { try Limits.validate(vcpus: vcpus) }
            if let memory = update.memoryKiB { try Limits.validate(memoryKiB: memory) }
            if let metadata = update.metadata { try TextRules.validate(tags: metadata.tags) }
            return try specResponse(
                try await on(context, "updateMachine") { try await $0.updateMachine(named: name, update) })
        }
        routes.delete("/backends/:name/machines/:machine") { request, context in
            let name = try context.parameters.require("machine")
            let query = request.uri.queryParameters
            let options = DeleteOptions(
                removeOwnedDisks: try Self.flag(query["removeOwnedDisks"].map(String.init), "removeOwnedDisks") ?? true,
                force: try Self.flag(query["force"].map(String.init), "force") ?? true)
            try await on(context, "deleteMachine") { try await $0.deleteMachine(named: name, options: options) }
            return Response(status: .noContent)
        }
        routes.post("/backends/:name/machines/:machine/actions/:action") { _, context in
            let name = try context.parameters.require("machine")
            let raw = try context.parameters.require("action")
            guard let action = MachineAction(rawValue: raw) else {
                let known = MachineAction.allCases.map(\.rawValue).joined(separator: ", ")
                throw SpecError.invalid("unknown action '\(raw)'; expected one of \(known)")
            }
            return try specResponse(
                try await on(context, action.rawValue) { try await $0.perform(action, onMachine: name) })
        }
        routes.post("/backends/:name/machines/:machine/release") { _, context in
            let name = try context.parameters.require("machine")
            try await on(context, "releaseMachine") { try await $0.releaseMachine(named: name) }
            return Response(status: .noContent)
        }
        routes.get("/backends/:name/machines/:machine/definition") { _, context in
            let name = try context.parameters.require("machine")
            let xml = try await on(context, "domainXML") { try await $0.domainXML(named: name) }
            return JSONWire.bytes(Array(xml.utf8), contentType: "application/xml; charset=utf-8")
        }
        routes.post("/backends/:name/definitions") { request, context in
            let body = try await BodyLimit.collect(request, limit: BodyLimit.document)
            let xml = String(buffer: body)
            guard !xml.isEmpty else { throw SpecError.invalid("the request body must be a machine definition") }
            let owned = request.uri.queryParameters.getAll("ownedPath").map { String($0) }
            return try specResponse(
                try await on(context, "defineMachine") { try await $0.defineMachine(xml: xml, ownedPaths: owned) },
                status: .created)
        }
    }

    private func addBackendMachineDetailRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/backends/:name/machines/:machine/stats") { _, context in
            let name = try context.parameters.require("machine")
            return try specResponse(
                try await on(context, "stats") { backend in
                    try backend.require(.stats, "statistics")
                    return try await backend.stats(ofMachine: name)
                })
        }
        routes.get("/backends/:name/machines/:machine/screenshot") { _, context in
            let name = try context.parameters.require("machine")
            let shot = try await on(context, "screenshot") { backend in
                try backend.require(.screenshots, "screenshots")
                return try await backend.screenshot(ofMachine: name)
            }
            return JSONWire.bytes(shot.data, contentType: shot.mimeType)
        }
        routes.get("/backends/:name/machines/:machine/snapshots") { _, context in
            let name = try context.parameters.require("machine")
            return try specResponse(
                try await on(context, "snapshots", .snapshots) { try await $0.snapshots(ofMachine: name) })
        }
        routes.post("/backends/:name/machines/:machine/snapshots") { request, context in
            let name = try context.parameters.require("machine")
            let spec = try await specBody(SnapshotSpec.self, request, context)
            if let snapshot = spec.name { try NameRules.validate(snapshot, what: "snapshot name") }
            return try specResponse(
                try await on(context, "createSnapshot", .snapshots) {
                    try await $0.createSnapshot(ofMachine: name, spec)
                },
                status: .created)
        }
        routes.post("/backends/:name/machines/:machine/snapshots/:snapshot/revert") { _, context in
            let (name, snapshot) = (
                try context.parameters.require("machine"), try context.parameters.require("snapshot")
            )
            try await on(context, "revertSnapshot", .snapshots) {
                try await $0.revertSnapshot(snapshot, ofMachine: name)
            }
            return Response(status: .noContent)
        }
        routes.delete("/backends/:name/machines/:machine/snapshots/:snapshot") { _, context in
            let (name, snapshot) = (
                try context.parameters.require("machine"), try context.parameters.require("snapshot")
            )
            try await on(context, "deleteSnapshot", .snapshots) {
                try await $0.deleteSnapshot(snapshot, ofMachine: name)
            }
            return Response(status: .noContent)
        }
        routes.post("/backends/:name/machines/:machine/disks") { request, context in
            let name = try context.parameters.require("machine")
            let attachment = try await specBody(DiskAttachment.self, request, context)
            return try specResponse(
                try await on(context, "attachDisk", .diskAttach) {
                    try await $0.attachDisk(attachment, toMachine: name)
                })
        }
        routes.delete("/backends/:name/machines/:machine/disks/:target") { _, context in
            let (name, target) = (try context.parameters.require("machine"), try context.parameters.require("target"))
            return try specResponse(
                try await on(context, "detachDisk", .diskAttach) {
                    try await $0.detachDisk(target: target, fromMachine: name)
                })
        }
    }

    private func addBackendStorageRoutes(to routes: RouteCollection<GatewayContext>) {
        struct PoolChange: Codable { var active: Bool }
        struct Resize: Codable { var capacityBytes: Int }
        routes.get("/backends/:name/pools") { _, context in
            try specResponse(try await on(context, "storagePools", .storage) { try await $0.storagePools() })
        }
        routes.post("/backends/:name/pools") { request, context in
            let spec = try await specBody(StoragePoolSpec.self, request, context)
            let backend = try context.parameters.require("name")
            return try specResponse(try await fleet.createStoragePool(spec, backend: backend), status: .created)
        }
        routes.get("/backends/:name/pools/:pool") { _, context in
            let pool = try context.parameters.require("pool")
            return try specResponse(
                try await on(context, "storagePool", .storage) { try await $0.storagePool(named: pool) })
        }
        routes.patch("/backends/:name/pools/:pool") { request, context in
            let pool = try context.parameters.require("pool")
            let change = try await specBody(PoolChange.self, request, context)
            return try specResponse(
                try await on(context, "setStoragePool", .storage) {
                    try await $0.setStoragePool(named: pool, active: change.active)
                })
        }
        routes.delete("/backends/:name/pools/:pool") { _, context in
            let pool = try context.parameters.require("pool")
            try await on(context, "deleteStoragePool", .poolManagement) { try await $0.deleteStoragePool(named: pool) }
            return Response(status: .noContent)
        }
        routes.get("/backends/:name/pools/:pool/volumes") { _, context in
            let pool = try context.parameters.require("pool")
            return try specResponse(try await on(context, "volumes", .storage) { try await $0.volumes(inPool: pool) })
        }
        routes.post("/backends/:name/pools/:pool/volumes") { request, context in
            let pool = try context.parameters.require("pool")
            let spec = try await specBody(VolumeSpec.self, request, context)
            try Limits.validate(diskBytes: spec.capacityBytes)
            let volume = try await on(context, "createVolume", .storage) {
                try await $0.createVolume(spec, inPool: pool)
            }
            try await fleet.recordVolume(volume)
            return try specResponse(volume, status: .created)
        }
        routes.get("/backends/:name/pools/:pool/volumes/:volume") { _, context in
            let (pool, volume) = (try context.parameters.require("pool"), try context.parameters.require("volume"))
            return try specResponse(
                try await on(context, "volume", .storage) { try await $0.volume(named: volume, inPool: pool) })
        }
        routes.delete("/backends/:name/pools/:pool/volumes/:volume") { _, context in
            let (pool, volume) = (try context.parameters.require("pool"), try context.parameters.require("volume"))
            try backend(context).require(.storage, "storage")
            try await fleet.deleteVolume(volume, inPool: pool, backend: try context.parameters.require("name"))
            return Response(status: .noContent)
        }
        routes.post("/backends/:name/pools/:pool/volumes/:volume/resize") { request, context in
            let (pool, volume) = (try context.parameters.require("pool"), try context.parameters.require("volume"))
            let resize = try await specBody(Resize.self, request, context)
            try Limits.validate(diskBytes: resize.capacityBytes)
            return try specResponse(
                try await on(context, "resizeVolume", .volumeMaintenance) {
                    try await $0.resizeVolume(named: volume, inPool: pool, capacityBytes: resize.capacityBytes)
                })
        }
        routes.post("/backends/:name/pools/:pool/volumes/:volume/wipe") { _, context in
            let (pool, volume) = (try context.parameters.require("pool"), try context.parameters.require("volume"))
            try await on(context, "wipeVolume", .volumeMaintenance) {
                try await $0.wipeVolume(named: volume, inPool: pool)
            }
            return Response(status: .noContent)
        }
    }

    // MARK: Helpers

    func backend(_ context: GatewayContext) throws -> any Backend {
        try fleet.backends.backend(try context.parameters.require("name"))
    }

    /// Calls the route's backend through the fleet (deadline, metrics, error mapping), after
    /// checking `capability`.
    @discardableResult
    func on<T: Sendable>(
        _ context: GatewayContext, _ operation: String, _ capability: BackendCapabilities = [],
        _ body: @escaping @Sendable (any Backend) async throws -> T
    ) async throws -> T {
        let backend = try backend(context)
        if !capability.isEmpty { try backend.require(capability, capability.names.joined(separator: ", ")) }
        return try await fleet.call(backend, operation, body)
    }

    func specResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .deferredToDate
        return try JSONWire.response(value, status: status, encoder: encoder)
    }

    func specBody<T: Decodable>(_ type: T.Type, _ request: Request, _ context: GatewayContext) async throws -> T {
        let buffer = try await BodyLimit.collect(request, limit: BodyLimit.json)
        if buffer.readableBytes > 0 { try JSONWire.requireJSON(request) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        do { return try decoder.decode(T.self, from: Data(buffer: buffer)) } catch let error as DecodingError {
            throw SpecError.invalid(JSONWire.describe(error))
        }
    }

    static func flag(_ raw: String?, _ name: String) throws -> Bool? {
        guard let raw else { return nil }
        switch raw.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw SpecError.invalid("\(name) must be true or false")
        }
    }
}
