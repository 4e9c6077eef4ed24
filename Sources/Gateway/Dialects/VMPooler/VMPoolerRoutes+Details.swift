import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension VMPoolerDialect {
    /// Snapshots and extra disks of checked-out VMs (`202 Accepted` as in vmpooler, done at once here).
    func addVMDetailRoutes(to routes: RouteCollection<GatewayContext>, base: String) {
        routes.post("\(base)/vm/:hostname/snapshot") { request, context in
            let vm = try await checkedOut(try context.parameters.require("hostname"), request)
            let name = NameGenerator.random(32)
            _ = try await fleet.createSnapshot(of: vm.machineID ?? vm.hostname, SnapshotSpec(name: name))
            manager.modify(vm.hostname) { $0.snapshots.append(name) }
            await manager.persist(vm.hostname)
            return try JSONWire.response(
                VMPoolerJSON.object(["ok": true, vm.hostname: ["snapshot": .string(name)]]), status: .accepted)
        }
        routes.post("\(base)/vm/:hostname/snapshot/:snapshot") { request, context in
            let vm = try await checkedOut(try context.parameters.require("hostname"), request)
            let snapshot = try context.parameters.require("snapshot")
            guard vm.snapshots.contains(snapshot) else {
                throw VMPoolerError.notFound("VM '\(vm.hostname)' has no snapshot '\(snapshot)'")
            }
            _ = try await fleet.revertSnapshot(snapshot, of: vm.machineID ?? vm.hostname)
            return try JSONWire.response(["ok": true] as VMPoolerJSON, status: .accepted)
        }
        routes.post("\(base)/vm/:hostname/disk/:size") { request, context in
            let vm = try await checkedOut(try context.parameters.require("hostname"), request)
            let raw = try context.parameters.require("size")
            guard let size = Int(raw), (1...2048).contains(size) else {
                throw VMPoolerError.badRequest("disk size must be a whole number of GiB from 1 to 2048, not '\(raw)'")
            }
            try await addDisk(to: vm, gigabytes: size)
            return try JSONWire.response(
                VMPoolerJSON.object(["ok": true, vm.hostname: ["disk": .string("+\(size)gb")]]), status: .accepted)
        }
    }

    /// A VM that exists and is checked out, after the token check.
    private func checkedOut(_ name: String, _ request: Request) async throws -> PoolVM {
        let hostname = PoolManager.shorten(name)
        guard let vm = manager.vm(hostname), vm.state == .running else {
            throw VMPoolerError.notFound("no checked-out VM named '\(hostname)'")
        }
        try await authorize(request, for: vm)
        return vm
    }

    /// Creates a blank volume beside the VM's first disk and attaches it.
    private func addDisk(to vm: PoolVM, gigabytes: Int) async throws {
        guard let id = vm.machineID else { throw VMPoolerError.notFound("VM '\(vm.hostname)' has no machine yet") }
        let machine = try await fleet.machine(id)
        guard let pool = machine.disks.first(where: { $0.pool != nil })?.pool else {
            throw SpecError.unsupported("VM '\(vm.hostname)' has no disk in a storage pool to put a new disk beside")
        }
        let volume = "\(vm.hostname)-disk\(vm.volumes.count + 1).qcow2"
        _ = try await fleet.createVolume(
            VolumeSpec(name: volume, capacityBytes: gigabytes << 30), inPool: pool, backend: machine.backend)
        do {
            _ = try await fleet.attachDisk(DiskAttachment(pool: pool, volume: volume), to: id)
        } catch {
            _ = try? await fleet.deleteVolume(volume, inPool: pool, backend: machine.backend)
            throw error
        }
        manager.modify(vm.hostname) {
            $0.disks.append("+\(gigabytes)gb")
            $0.volumes.append("\(pool)/\(volume)")
        }
        await manager.persist(vm.hostname)
    }
}
