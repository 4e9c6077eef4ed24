import Foundation
import GatewayCore
import Spec

extension CometDialect {
    /// Starts a VM; a released VM is defined on its host again first.
    func start(_ member: CometMember) async throws -> CometMember {
        switch member {
        case .live(let machine):
            return .live(try await fleet.perform(.start, on: machine.id))
        case .released(let record):
            let machine = try await fleet.defineMachine(record.definition, disks: record.disks, on: record.backend)
            try await released.remove(record)
            try await fleet.releaseHold(Self.holder(record.key))
            return .live(try await fleet.perform(.start, on: machine.id))
        }
    }

    /// Shuts a VM down (gracefully, powering off after `timeout` seconds), then releases it from
    /// its host keeping its disks in storage and its definition in the store.
    func stop(_ member: CometMember, cluster: String, timeout: Double) async throws -> CometMember {
        guard case .live(var machine) = member else {
            throw SpecError.conflict("VM '\(member.name)' is already stopped and released from its host")
        }
        if machine.state == .running {
            machine = try await fleet.perform(.shutdown, on: machine.id)
            let deadline = ContinuousClock.now + .milliseconds(Int(max(0, timeout) * 1000))
            while machine.state.isActive, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                machine = try await fleet.machine(machine.id)
            }
        }
        if machine.state.isActive {
            do { machine = try await fleet.perform(.poweroff, on: machine.id) } catch let error as SpecError
                where error.kind == .conflict
            {
                machine = try await fleet.machine(machine.id)
            }
        }
        let kept = try await fleet.releaseMachine(machine.id)
        let record = CometReleasedRecord(
            cluster: cluster, backend: kept.machine.backend, name: kept.machine.name, uuid: kept.machine.uuid,
            vcpus: kept.machine.vcpus, memoryKiB: kept.machine.memoryKiB, disks: kept.machine.disks,
            definition: kept.definition, releasedAt: Date())
        do {
            try await fleet.holdVolumes(
                atPaths: kept.machine.disks.compactMap(\.path), for: Self.holder(record.key))
            try await released.save(record)
        } catch {
            // Keep the VM: define it again rather than lose its definition.
            _ = try? await fleet.defineMachine(kept.definition, disks: kept.machine.disks, on: kept.machine.backend)
            throw error
        }
        return .released(record)
    }

    /// Deletes a VM with the disks vmgate created for it; a released VM is defined again first so
    /// its disks are found and removed.
    func delete(_ member: CometMember, force: Bool) async throws {
        switch member {
        case .live(let machine):
            if machine.state.isActive, !force {
                throw SpecError.conflict(
                    "VM '\(machine.name)' is \(machine.state.rawValue); power it off first or use force")
            }
            try await fleet.deleteMachine(machine.id, options: DeleteOptions(removeOwnedDisks: true, force: true))
            await removeLeftovers(of: machine)
        case .released(let record):
            let machine = try await fleet.defineMachine(record.definition, disks: record.disks, on: record.backend)
            try await fleet.releaseHold(Self.holder(record.key))
            try await fleet.deleteMachine(machine.id, options: DeleteOptions(removeOwnedDisks: true, force: true))
            await removeLeftovers(of: machine)
            try await released.remove(record)
        }
    }

    /// Removes the images left in each disk's backing chain once the machine is gone: external
    /// snapshot overlays (`<vm>-vda.<snapshot>`) and the disk itself when it was not deleted with
    /// the machine. Only images in the machine's own chain that carry its disk's name prefix are
    /// touched, so template bases, and other machines whose names merely start the same way,
    /// keep their images.
    private func removeLeftovers(of machine: Machine) async {
        for disk in machine.disks where disk.device == "disk" {
            guard let pool = disk.pool, var path = disk.path else { continue }
            let prefix = "\(machine.name)-\(disk.target)."
            let volumes = (try? await fleet.volumes(inPool: pool, backend: machine.backend)) ?? []
            let byPath = Dictionary(volumes.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
            var chain: [StorageVolume] = []
            while let volume = byPath[path], volume.name.hasPrefix(prefix), !chain.contains(volume) {
                chain.append(volume)
                guard let backing = volume.backingPath else { break }
                path = backing
            }
            for volume in chain {
                do {
                    try await fleet.deleteVolume(volume.name, inPool: pool, backend: machine.backend, known: true)
                } catch {
                    environment.logger.warning(
                        "could not remove a leftover image",
                        metadata: ["volume": "\(pool)/\(volume.name)", "error": "\(error)"])
                }
            }
        }
    }

    /// The holder name of a released VM's disks (see `Fleet.holdVolumes`).
    static func holder(_ key: String) -> String { "comet released VM \(key)" }
}
