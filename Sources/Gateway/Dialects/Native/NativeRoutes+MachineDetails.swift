import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension NativeDialect {
    func addMachineDetailRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/machines/:id/screenshot") { _, context in
            let png = try await fleet.screenshotPNG(try context.parameters.require("id"))
            return JSONWire.bytes(png, headers: [.cacheControl: "no-store"], contentType: "image/png")
        }
        routes.get("/machines/:id/stats") { _, context in
            try JSONWire.response(try await fleet.stats(try context.parameters.require("id")))
        }
        routes.get("/machines/:id/snapshots") { _, context in
            try JSONWire.response(try await fleet.snapshots(of: try context.parameters.require("id")))
        }
        routes.post("/machines/:id/snapshots") { request, context in
            let body = try await JSONWire.decode(NativeCreateSnapshot.self, from: request, context: context)
            let spec = SnapshotSpec(name: body.name, description: body.description, diskOnly: body.diskOnly ?? false)
            let snapshot = try await fleet.createSnapshot(of: try context.parameters.require("id"), spec)
            return try JSONWire.response(snapshot, status: .created)
        }
        routes.get("/machines/:id/snapshots/:snapshot") { _, context in
            let name = try context.parameters.require("snapshot")
            let all = try await fleet.snapshots(of: try context.parameters.require("id"))
            guard let snapshot = all.first(where: { $0.name == name }) else {
                throw SpecError.notFound("no snapshot named '\(name)'")
            }
            return try JSONWire.response(snapshot)
        }
        routes.post("/machines/:id/snapshots/:snapshot/revert") { _, context in
            let machine = try await fleet.revertSnapshot(
                try context.parameters.require("snapshot"), of: try context.parameters.require("id"))
            return try machineResponse(machine)
        }
        routes.delete("/machines/:id/snapshots/:snapshot") { _, context in
            try await fleet.deleteSnapshot(
                try context.parameters.require("snapshot"), of: try context.parameters.require("id"))
            return Response(status: .noContent)
        }
        routes.post("/machines/:id/disks") { request, context in
            let body = try await JSONWire.decode(NativeAttachDisk.self, from: request, context: context)
            let attachment = DiskAttachment(
                pool: body.pool, volume: body.volume, live: body.live ?? true, persistent: body.persistent ?? true,
                cdrom: body.cdrom ?? false)
            return try machineResponse(try await fleet.attachDisk(attachment, to: try context.parameters.require("id")))
        }
        routes.delete("/machines/:id/disks/:target") { _, context in
            let machine = try await fleet.detachDisk(
                target: try context.parameters.require("target"), from: try context.parameters.require("id"))
            return try machineResponse(machine)
        }
    }
}
