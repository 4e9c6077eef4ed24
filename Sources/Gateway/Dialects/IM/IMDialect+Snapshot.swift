import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension IMDialect {
    /// `PUT …/disks/N/snapshot?image_name=…`: when the disk's volume is a local file, copies it
    /// (flattened, with `qemu-img convert`) into a new volume `image_name` of the same pool and
    /// returns `vmgate://<host>/<pool>/<image_name>`, usable as `disk.0.image.url`; otherwise takes
    /// a libvirt snapshot of the machine and returns `vmgate://<host>/<backend>/<machine>/snapshots/<name>`.
    func snapshot(_ vm: IMVM, of infrastructure: IMInfrastructure, request: Request, disk: String) async throws
        -> String
    {
        guard let name = request.uri.queryParameters["image_name"].map(String.init), !name.isEmpty else {
            throw IMFailure(400, "image_name is mandatory")
        }
        try NameRules.validate(name, what: "image_name")
        let autoDelete = try IMWire.flag(
            request.uri.queryParameters["auto_delete"], default: false, name: "auto_delete")
        guard let id = vm.machine else { throw IMFailure(400, "VM \(vm.id) was never created") }
        let machine = try await fleet.machine(id)
        let disks = machine.disks.filter { $0.device == "disk" }
        guard let index = Int(disk), disks.indices.contains(index) else {
            throw IMFailure(400, "VM \(vm.id) has no disk \(disk)")
        }
        let host = request.head.authority ?? "localhost"
        let source = disks[index]
        if let path = source.path, let pool = source.pool, FileManager.default.isReadableFile(atPath: path),
            let tool = SeedISO.executable("qemu-img")
        {
            let volume = try await fleet.createVolume(
                VolumeSpec(name: name, capacityBytes: max(source.capacityBytes ?? 0, 1 << 20), format: "qcow2"),
                inPool: pool, backend: machine.backend)
            do {
                try await Self.run(tool, ["convert", "-U", "-O", "qcow2", path, volume.path])
            } catch {
                try? await fleet.deleteVolume(name, inPool: pool, backend: machine.backend)
                throw error
            }
            try await record(
                IMSnapshot(machine: id, name: name, autoDelete: autoDelete, image: "\(pool)/\(name)"),
                in: infrastructure)
            return "vmgate://\(host)/\(pool)/\(name)"
        }
        let snapshot = try await fleet.createSnapshot(
            of: id, SnapshotSpec(name: name, description: "IM snapshot of disk \(index) (\(source.target))"))
        try await record(IMSnapshot(machine: id, name: snapshot.name, autoDelete: autoDelete), in: infrastructure)
        return "vmgate://\(host)/\(machine.backend)/\(machine.name)/snapshots/\(snapshot.name)"
    }

    private func record(_ snapshot: IMSnapshot, in infrastructure: IMInfrastructure) async throws {
        try await repository.update(infrastructure.id) { $0.snapshots.append(snapshot) }
    }

    /// Deletes an auto-delete snapshot or image (best effort: the machine may be gone already).
    func deleteSnapshot(_ snapshot: IMSnapshot) async {
        guard let image = snapshot.image else {
            try? await fleet.deleteSnapshot(snapshot.name, of: snapshot.machine)
            return
        }
        let parts = image.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return }
        // The template deploys from the image made for it (`template(forImage:)`) go first.
        try? await fleet.deleteTemplate(named: Self.imageTemplate(pool: parts[0], volume: parts[1]))
        try? await fleet.deleteVolume(parts[1], inPool: parts[0], backend: MachineRef(id: snapshot.machine)?.backend)
    }

    static func run(_ tool: String, _ arguments: [String]) async throws {
        let outcome = try await ChildProcess.run(tool, arguments)
        guard outcome.status == 0 else {
            let name = (tool as NSString).lastPathComponent
            throw SpecError.unavailable(
                "\(name) failed with status \(outcome.status)", cause: "\(name): \(outcome.errorOutput.prefix(300))")
        }
    }
}
