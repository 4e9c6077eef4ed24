import DialectKit
import GatewayCore
import Hummingbird
import Spec

/// Backend-level routes that move images: uploads and volume contents stream into a spool file
/// of the gateway (at most `imports.maxBytes`, 413 past it), are inspected
/// (``ImageInspector``) and stream on to the backend; disk copies run on the backend's host.
///
///     POST   /backends/:name/pools/:pool/uploads?name=&format=   (image bytes) → 201 StorageVolume
///     PUT    /backends/:name/pools/:pool/volumes/:volume/content?format=   (image bytes) → StorageVolume
///     POST   /backends/:name/machines/:machine/disks/:target/copy {"pool", "volume"} → 201 StorageVolume
extension NativeDialect {
    func addBackendImageRoutes(to routes: RouteCollection<GatewayContext>) {
        struct DiskCopy: Codable {
            var pool: String
            var volume: String
        }
        routes.post("/backends/:name/pools/:pool/uploads") { request, context in
            let pool = try context.parameters.require("pool")
            let query = request.uri.queryParameters
            guard let name = query["name"].map(String.init), let format = query["format"].map(String.init) else {
                throw SpecError.invalid("uploads need the query parameters 'name' and 'format'")
            }
            try NameRules.validate(name, what: "volume name")
            let backend = try backend(context)
            try backend.require(.volumeMaintenance, "volume uploads")
            let fleet = self.fleet
            let volume = try await ImageSpool.with(
                directory: fleet.imports.spoolDirectory, limit: fleet.imports.maxBytes
            ) { spool in
                let count = try await spool.receive(request)
                return try await fleet.uploadImage(
                    spool, byteCount: count, declaredFormat: format, named: name, inPool: pool, backend: backend)
            }
            return try specResponse(volume, status: .created)
        }
        routes.put("/backends/:name/pools/:pool/volumes/:volume/content") { request, context in
            let (pool, name) = (try context.parameters.require("pool"), try context.parameters.require("volume"))
            let format = request.uri.queryParameters["format"].map(String.init)
            let backend = try backend(context)
            try backend.require(.volumeMaintenance, "volume writes")
            let fleet = self.fleet
            let volume = try await ImageSpool.with(
                directory: fleet.imports.spoolDirectory, limit: fleet.imports.maxBytes
            ) { spool in
                let count = try await spool.receive(request)
                return try await fleet.writeImage(
                    spool, byteCount: count, declaredFormat: format, named: name, inPool: pool, backend: backend)
            }
            return try specResponse(volume)
        }
        routes.post("/backends/:name/machines/:machine/disks/:target/copy") { request, context in
            let (name, target) = (try context.parameters.require("machine"), try context.parameters.require("target"))
            let copy = try await specBody(DiskCopy.self, request, context)
            try NameRules.validate(copy.volume, what: "volume name")
            let backend = try backend(context)
            try backend.require(.volumeMaintenance, "disk copies")
            let volume = try await fleet.call(backend, "copyDisk", timeout: fleet.imports.timeoutSeconds) {
                try await $0.copyDisk(target, ofMachine: name, toVolume: copy.volume, inPool: copy.pool)
            }
            try await fleet.recordVolume(volume)
            return try specResponse(volume, status: .created)
        }
    }
}
