internal import CLibvirt
public import Spec

extension LibvirtBackend {
    /// Attaches a volume at the next free target (`vdX` disks, `sdX` CD-ROMs).
    public func attachDisk(_ attachment: DiskAttachment, toMachine name: String) async throws -> Machine {
        try require(.diskAttach, "disk attach")
        let backend = self.name
        return try await mutateMachine(name) { connection in
            let domain = try DomainHandle.lookup(name, in: connection)
            let active = try domain.state().isActive
            let flags = try Self.deviceFlags(
                live: attachment.live && active, config: attachment.persistent && domain.isPersistent, machine: name)
            let volume = try PoolHandle.lookup(attachment.pool, in: connection).volume(named: attachment.volume)
                .describe(pool: attachment.pool, backend: backend)
            let live = try DomainXML(domain.xml())
            let config = domain.isPersistent ? try DomainXML(domain.xml(inactive: true)) : live
            if (live.disks + config.disks).contains(where: { $0.path == volume.path }) {
                throw SpecError.conflict("volume '\(attachment.volume)' is already attached to machine '\(name)'")
            }
            let used = live.usedTargets.union(config.usedTargets)
            let disk = DomainXMLBuilder.Disk(
                target: DeviceNames.next(prefix: attachment.cdrom ? "sd" : "vd", used: used),
                device: attachment.cdrom ? "cdrom" : "disk", bus: attachment.cdrom ? "sata" : "virtio",
                format: attachment.cdrom ? "raw" : volume.format, path: volume.path)
            try domain.check("attach a disk to") {
                virDomainAttachDeviceFlags($0, DomainXMLBuilder.diskXML(disk), flags)
            }
            return try MachineReader.read(domain, backend: backend)
        }
    }

    /// Detaches the disk with guest device `target` from the live and/or persistent definition.
    public func detachDisk(target: String, fromMachine name: String) async throws -> Machine {
        try require(.diskAttach, "disk detach")
        let backend = self.name
        return try await mutateMachine(name) { connection in
            let domain = try DomainHandle.lookup(name, in: connection)
            let active = try domain.state().isActive
            let liveDisk = active ? try DomainXML(domain.xml()).disks.first { $0.target == target } : nil
            let configDisk =
                domain.isPersistent
                ? try DomainXML(domain.xml(inactive: true)).disks.first { $0.target == target } : nil
            guard let disk = liveDisk ?? configDisk else {
                throw SpecError.notFound("disk '\(target)' not found on machine '\(name)'")
            }
            let flags = try Self.deviceFlags(live: liveDisk != nil, config: configDisk != nil, machine: name)
            try domain.check("detach a disk from") { virDomainDetachDeviceFlags($0, disk.elementXML, flags) }
            return try MachineReader.read(domain, backend: backend)
        }
    }

    static func deviceFlags(live: Bool, config: Bool, machine: String) throws(SpecError) -> UInt32 {
        var flags: UInt32 = 0
        if live { flags |= VIR_DOMAIN_AFFECT_LIVE.rawValue }
        if config { flags |= VIR_DOMAIN_AFFECT_CONFIG.rawValue }
        guard flags != 0 else {
            throw SpecError.invalid("machine '\(machine)' is not running; a disk change must be persistent")
        }
        return flags
    }
}
