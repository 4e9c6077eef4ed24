import DialectKit
import GatewayCore
import Hummingbird
import Spec

extension IMDialect {
    /// `PUT …/disks/N/snapshot?image_name=…`: has the backend copy the disk (flattened, on its own
    /// host, see ``Backend/copyDisk(_:ofMachine:toVolume:inPool:)``; consistent even while the VM
    /// runs) into a new volume `image_name` of the disk's pool and returns
    /// `vmgate://<host>/<pool>/<image_name>`, usable as `disk.0.image.url`. The gateway never
    /// reads the disk's host path. When a copy is impossible — the backend cannot copy disks (the
    /// test driver, a proxy whose upstream cannot), or the disk is not a volume of a storage pool
    /// — it takes a libvirt snapshot of the machine instead and returns
    /// `vmgate://<host>/<backend>/<machine>/snapshots/<name>`. Any other failure of the copy is
    /// the request's error.
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
        if let pool = source.pool {
            do {
                let image = try await fleet.onMachine(id, "copyDisk") { backend, machineName in
                    try await backend.copyDisk(source.target, ofMachine: machineName, toVolume: name, inPool: pool)
                }
                try await fleet.recordVolume(image)
                try await record(
                    IMSnapshot(machine: id, name: name, autoDelete: autoDelete, image: "\(pool)/\(image.name)"),
                    in: infrastructure)
                return "vmgate://\(host)/\(pool)/\(image.name)"
            } catch let error as SpecError where error.kind == .unsupported {
                // No copy on this backend: a libvirt snapshot of the machine below.
            }
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
}
