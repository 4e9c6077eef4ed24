import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension NativeDialect {
    func addStorageRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/storage/pools") { request, _ in
            try JSONWire.response(try await fleet.storagePools(backend: backendParameter(request)))
        }
        routes.get("/storage/pools/:pool") { request, context in
            try JSONWire.response(
                try await fleet.storagePool(try context.parameters.require("pool"), backend: backendParameter(request)))
        }
        routes.post("/storage/pools/:pool/actions/:action") { request, context in
            let pool = try context.parameters.require("pool")
            let action = try context.parameters.require("action")
            guard action == "activate" || action == "deactivate" else {
                throw SpecError.invalid("unknown pool action '\(action)'; expected activate or deactivate")
            }
            let result = try await fleet.onPool(pool, backend: backendParameter(request), action) {
                try await $0.setStoragePool(named: pool, active: action == "activate")
            }
            return try JSONWire.response(result)
        }
        routes.get("/storage/pools/:pool/volumes") { request, context in
            try JSONWire.response(
                try await fleet.volumes(
                    inPool: try context.parameters.require("pool"), backend: backendParameter(request)))
        }
        routes.post("/storage/pools/:pool/volumes") { request, context in
            let pool = try context.parameters.require("pool")
            let body = try await JSONWire.decode(NativeCreateVolume.self, from: request, context: context)
            let spec = VolumeSpec(
                name: body.name, capacityBytes: body.capacityBytes, format: body.format ?? "qcow2",
                backingPool: body.backingPool, backingVolume: body.backingVolume)
            let volume = try await fleet.createVolume(spec, inPool: pool, backend: backendParameter(request))
            return try JSONWire.response(volume, status: .created)
        }
        routes.get("/storage/pools/:pool/volumes/:volume") { request, context in
            try JSONWire.response(
                try await fleet.volume(
                    try context.parameters.require("volume"), inPool: try context.parameters.require("pool"),
                    backend: backendParameter(request)))
        }
        routes.delete("/storage/pools/:pool/volumes/:volume") { request, context in
            let pool = try context.parameters.require("pool")
            let name = try context.parameters.require("volume")
            try await fleet.deleteVolume(name, inPool: pool, backend: backendParameter(request))
            return Response(status: .noContent)
        }
        routes.post("/storage/pools/:pool/volumes/:volume/resize") { request, context in
            let pool = try context.parameters.require("pool")
            let name = try context.parameters.require("volume")
            let body = try await JSONWire.decode(NativeResizeVolume.self, from: request, context: context)
            try Limits.validate(diskBytes: body.capacityBytes, what: "capacityBytes")
            let current = try await fleet.volume(name, inPool: pool, backend: backendParameter(request))
            try await fleet.requireMaintainable(current, destroying: false)
            let volume = try await fleet.onPool(pool, backend: backendParameter(request), "resizeVolume") { backend in
                try backend.require(.volumeMaintenance, "volume resize")
                return try await backend.resizeVolume(named: name, inPool: pool, capacityBytes: body.capacityBytes)
            }
            return try JSONWire.response(volume)
        }
        routes.post("/storage/pools/:pool/volumes/:volume/wipe") { request, context in
            let pool = try context.parameters.require("pool")
            let name = try context.parameters.require("volume")
            let backend = try await fleet.backend(holdingPool: pool, backend: backendParameter(request))
            try backend.require(.volumeMaintenance, "volume wipe")
            try await fleet.requireMaintainable(
                try await fleet.volume(name, inPool: pool, backend: backend.name), destroying: true)
            let fleet = self.fleet
            let task = try await fleet.tasks.start(kind: "volume.wipe", target: "\(pool)/\(name)") { _ in
                try await fleet.call(backend, "wipeVolume") { try await $0.wipeVolume(named: name, inPool: pool) }
                return "volume '\(name)' wiped"
            }
            return try JSONWire.response(
                task, status: .accepted, headers: [.location: environment.link("/tasks/\(task.id)")])
        }
    }

    func backendParameter(_ request: Request) -> String? {
        request.uri.queryParameters["backend"].map(String.init)
    }
}
