import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension CometDialect {
    func addSnapshotRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/cluster/:name/vms/:vm/snapshots") { _, context in
            let (group, vm) = try clusterAndVM(context)
            let machine = try await liveMachine(vm, of: group)
            return try JSONWire.response(
                try await fleet.snapshots(of: machine.id).map { wire($0, cluster: group.name, vm: vm) })
        }
        routes.post("/cluster/:name/vms/:vm/snapshots") { request, context in
            let (group, vm) = try clusterAndVM(context)
            let body = try await JSONWire.decode(CometCreateSnapshot.self, from: request, context: context)
            if let name = body.name { try NameRules.validate(name, what: "snapshot name") }
            let machine = try await liveMachine(vm, of: group)
            var diskOnly = false
            if machine.state.isActive {
                let backend = try fleet.backends.backend(machine.backend)
                guard backend.capabilities.contains(.liveDiskSnapshots) else {
                    throw SpecError.conflict(
                        "VM '\(vm)' is \(machine.state.rawValue) and host '\(machine.backend)' cannot take disk-only "
                            + "snapshots of running VMs; shut it off first")
                }
                diskOnly = true
            }
            let snapshot = try await fleet.createSnapshot(
                of: machine.id, SnapshotSpec(name: body.name, description: body.description, diskOnly: diskOnly))
            let wire = wire(snapshot, cluster: group.name, vm: vm)
            return try JSONWire.response(wire, status: .created, headers: [.location: wire.href])
        }
        routes.get("/cluster/:name/vms/:vm/snapshots/:snapshot") { _, context in
            let (group, vm) = try clusterAndVM(context)
            let name = try context.parameters.require("snapshot")
            let machine = try await liveMachine(vm, of: group)
            guard let snapshot = try await fleet.snapshots(of: machine.id).first(where: { $0.name == name }) else {
                throw SpecError.notFound("snapshot '\(name)' not found on VM '\(vm)'")
            }
            return try JSONWire.response(wire(snapshot, cluster: group.name, vm: vm))
        }
        routes.post("/cluster/:name/vms/:vm/snapshots/:snapshot/revert") { _, context in
            let (group, vm) = try clusterAndVM(context)
            let name = try context.parameters.require("snapshot")
            let machine = try await liveMachine(vm, of: group)
            guard try await fleet.snapshots(of: machine.id).contains(where: { $0.name == name }) else {
                throw SpecError.notFound("snapshot '\(name)' not found on VM '\(vm)'")
            }
            let reverted = try await fleet.revertSnapshot(name, of: machine.id)
            return try JSONWire.response(wire(.live(reverted), cluster: group.name))
        }
        routes.delete("/cluster/:name/vms/:vm/snapshots/:snapshot") { _, context in
            let (group, vm) = try clusterAndVM(context)
            let machine = try await liveMachine(vm, of: group)
            try await fleet.deleteSnapshot(try context.parameters.require("snapshot"), of: machine.id)
            return Response(status: .noContent)
        }
    }

    func wire(_ snapshot: Snapshot, cluster: String, vm: String) -> CometSnapshot {
        CometSnapshot(
            name: snapshot.name, created: Int(snapshot.createdAt.timeIntervalSince1970), parent: snapshot.parent ?? "",
            state: snapshot.state.rawValue, current: snapshot.isCurrent, diskOnly: snapshot.diskOnly,
            href: vmLink(cluster, vm) + "/snapshots/\(snapshot.name)")
    }
}
