import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

/// A volume attached through Comet, remembered after `unmap` so it can still be addressed
/// (and deleted from central storage). Namespace `comet.storages`, key `<vm id>/<volume>`.
struct CometStorageRecord: Codable, Sendable {
    var pool: String
    var vol: String
}

extension CometDialect {
    static let storageNamespace = "comet.storages"

    func addVMStorageRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/cluster/:name/vms/:vm/storages") { _, context in
            let (group, vm) = try clusterAndVM(context)
            return try JSONWire.response(try await storages(of: try await member(vm, of: group), cluster: group.name))
        }
        routes.post("/cluster/:name/vms/:vm/storages") { request, context in
            let (group, vm) = try clusterAndVM(context)
            let body = try await JSONWire.decode(CometAttachStorage.self, from: request, context: context)
            try NameRules.validate(body.pool, what: "storage pool name")
            try NameRules.validate(body.vol, what: "volume name")
            let machine = try await liveMachine(vm, of: group)
            let attachment = DiskAttachment(
                pool: body.pool, volume: body.vol, live: body.live ?? true, persistent: body.persistent ?? true)
            let updated = try await fleet.attachDisk(attachment, to: machine.id)
            try await saveRecord(CometStorageRecord(pool: body.pool, vol: body.vol), vm: machine.id)
            let member = CometMember.live(updated)
            guard
                let storage = try await storages(of: member, cluster: group.name).first(where: { $0.zvol == body.vol })
            else {
                throw SpecError.unavailable("volume '\(body.vol)' was attached but is not listed on VM '\(vm)'")
            }
            return try JSONWire.response(storage, status: .created, headers: [.location: storage.href])
        }
        routes.get("/cluster/:name/vms/:vm/storages/:zvol") { _, context in
            let (group, vm) = try clusterAndVM(context)
            return try JSONWire.response(
                try await storage(
                    try context.parameters.require("zvol"), of: try await member(vm, of: group), cluster: group.name))
        }
        routes.post("/cluster/:name/vms/:vm/storages/:zvol/unmap") { _, context in
            let (group, vm) = try clusterAndVM(context)
            let zvol = try context.parameters.require("zvol")
            let machine = try await liveMachine(vm, of: group)
            let current = try await storage(zvol, of: .live(machine), cluster: group.name)
            guard let target = current.dev.value, current.state == "mapped" else {
                throw SpecError.conflict("storage '\(zvol)' is not mapped to VM '\(vm)'")
            }
            let updated = try await fleet.detachDisk(target: target, from: machine.id)
            if let pool = current.pool {
                try await saveRecord(CometStorageRecord(pool: pool, vol: current.zvol), vm: machine.id)
            }
            return try JSONWire.response(try await storage(current.zvol, of: .live(updated), cluster: group.name))
        }
        routes.delete("/cluster/:name/vms/:vm/storages/:zvol") { _, context in
            let (group, vm) = try clusterAndVM(context)
            let zvol = try context.parameters.require("zvol")
            let member = try await member(vm, of: group)
            let current = try await storage(zvol, of: member, cluster: group.name)
            guard current.state == "unmapped", let pool = current.pool else {
                throw SpecError.conflict("storage '\(zvol)' is attached to VM '\(vm)'; unmap it first")
            }
            let name = current.zvol
            try await fleet.deleteVolume(name, inPool: pool, backend: member.backend)
            try await fleet.store.setValue(nil, namespace: Self.storageNamespace, key: "\(member.id)/\(current.zvol)")
            return Response(status: .noContent)
        }
    }

    /// Mapped disks of a VM, then volumes attached through Comet and since unmapped.
    func storages(of member: CometMember, cluster: String) async throws -> [CometStorage] {
        let base = vmLink(cluster, member.name) + "/storages/"
        let disks: [MachineDisk] =
            switch member {
            case .live(let machine): machine.disks
            case .released(let record): record.disks
            }
        var list = disks.map { disk in
            let zvol = disk.volume ?? disk.target
            return CometStorage(
                zvol: zvol, dev: CometNullable(disk.target), pool: disk.pool, path: disk.path, type: disk.device,
                state: "mapped",
                capacity: disk.capacityBytes, href: base + zvol)
        }
        let decoder = JSONDecoder()
        let prefix = member.id + "/"
        for (key, data) in try await fleet.store.values(namespace: Self.storageNamespace) where key.hasPrefix(prefix) {
            let record = try decoder.decode(CometStorageRecord.self, from: data)
            guard !list.contains(where: { $0.zvol == record.vol && $0.pool == record.pool }) else { continue }
            list.append(
                CometStorage(
                    zvol: record.vol, dev: CometNullable(nil), pool: record.pool, path: nil, type: "disk",
                    state: "unmapped", capacity: nil,
                    href: base + record.vol))
        }
        return list
    }

    /// One storage of a VM by volume name or guest device name.
    func storage(_ zvol: String, of member: CometMember, cluster: String) async throws -> CometStorage {
        let list = try await storages(of: member, cluster: cluster)
        guard let found = list.first(where: { $0.zvol == zvol }) ?? list.first(where: { $0.dev.value == zvol }) else {
            throw SpecError.notFound("storage '\(zvol)' not found on VM '\(member.name)'")
        }
        return found
    }

    private func saveRecord(_ record: CometStorageRecord, vm: String) async throws {
        try await fleet.store.setValue(
            try JSONEncoder().encode(record), namespace: Self.storageNamespace, key: "\(vm)/\(record.vol)")
    }
}
