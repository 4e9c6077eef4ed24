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
        do { try await released.save(record) } catch {
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
            try await fleet.deleteMachine(machine.id, options: DeleteOptions(removeOwnedDisks: true, force: true))
            await removeLeftovers(of: machine)
            try await released.remove(record)
        }
    }

    /// Removes images vmgate and libvirt named after the VM's disks (`<vm>-vda.qcow2`, external
    /// snapshot overlays `<vm>-vda.<snapshot>`) that the owned-disk list does not cover; the
    /// backend refuses any image still in use.
    private func removeLeftovers(of machine: Machine) async {
        for disk in machine.disks where disk.device == "disk" {
            guard let pool = disk.pool else { continue }
            let prefix = "\(machine.name)-\(disk.target)."
            let volumes = (try? await fleet.volumes(inPool: pool, backend: machine.backend)) ?? []
            for volume in volumes where volume.name.hasPrefix(prefix) {
                do {
                    try await fleet.onPool(pool, backend: machine.backend, "deleteVolume") {
                        try await $0.deleteVolume(named: volume.name, inPool: pool)
                    }
                } catch {
                    environment.logger.warning(
                        "could not remove a leftover image",
                        metadata: ["volume": "\(pool)/\(volume.name)", "error": "\(error)"])
                }
            }
        }
    }
}
