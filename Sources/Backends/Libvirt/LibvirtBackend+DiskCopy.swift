internal import CLibvirt
public import Spec

extension LibvirtBackend {
    /// Copies a machine's disk into a new standalone qcow2 volume, entirely on the libvirt host:
    ///
    /// - machine shut off: `virStorageVolCreateXMLFrom` (libvirt runs `qemu-img convert` on its
    ///   host; without a backing store in the new volume's definition the chain is flattened);
    /// - machine running or paused: QEMU holds a write lock on the image, so a second program
    ///   cannot read it; a push-mode backup job (`virDomainBackupBegin`) makes QEMU itself copy
    ///   the disk, flattened and consistent as of the start of the job, into a volume created for
    ///   it. The job is followed until it ends; a failed, cancelled or timed-out job is aborted
    ///   and the new volume deleted.
    public func copyDisk(_ target: String, ofMachine name: String, toVolume volume: String, inPool pool: String)
        async throws -> StorageVolume
    {
        try require(.volumeMaintenance, "disk copies")
        try NameRules.validate(volume, what: "volume name")
        let backend = self.name
        let copied: StorageVolume? = try await run { connection in
            let domain = try DomainHandle.lookup(name, in: connection)
            let running = try domain.state().isActive
            let disks = try DomainXML(domain.xml()).disks
            guard let disk = disks.first(where: { $0.target == target }), disk.device == "disk" else {
                throw SpecError.notFound("machine '\(name)' has no disk '\(target)'")
            }
            var info = virDomainBlockInfo()
            try domain.check("read the size of disk '\(target)' of") { virDomainGetBlockInfo($0, target, &info, 0) }
            let destination = try PoolHandle.lookup(pool, in: connection)
            if let existing = virStorageVolLookupByName(destination.pointer, volume) {
                virStorageVolFree(existing)
                throw SpecError.conflict("volume '\(volume)' already exists in pool '\(pool)'")
            }
            LibvirtError.discard()
            let xml = VolumeXML.xml(name: volume, capacityBytes: Int(info.capacity), format: "qcow2", compat: "1.1")
            if !running {
                guard let path = disk.path, let source = VolumeHandle.lookup(path: path, in: connection) else {
                    throw SpecError.unsupported("disk '\(target)' of machine '\(name)' is not a storage volume")
                }
                guard let pointer = virStorageVolCreateXMLFrom(destination.pointer, xml, source.pointer, 0) else {
                    throw LibvirtError.capture("copy disk '\(target)' of", "machine '\(name)'", connection: connection)
                }
                return try VolumeHandle(pointer, connection: connection).describe(pool: pool, backend: backend)
            }
            guard let pointer = virStorageVolCreateXML(destination.pointer, xml, 0) else {
                throw LibvirtError.capture("create", "volume '\(volume)'", connection: connection)
            }
            let created = VolumeHandle(pointer, connection: connection)
            let backup = BackupXML.push(disk: target, to: created.path, skipping: disks.map(\.target))
            let flags = VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL.rawValue
            if virDomainBackupBegin(domain.pointer, backup, nil, flags) < 0 {
                let error = LibvirtError.capture(
                    "copy disk '\(target)' of", "machine '\(name)'", connection: connection)
                _ = virStorageVolDelete(pointer, 0)
                LibvirtError.discard()
                throw error
            }
            return nil
        }
        if let copied { return copied }
        do {
            try await waitForBackup(ofMachine: name, disk: target)
        } catch {
            try? await run { connection in
                if let domain = try? DomainHandle.lookup(name, in: connection) { _ = virDomainAbortJob(domain.pointer) }
                if let created = try? PoolHandle.lookup(pool, in: connection).volume(named: volume) {
                    _ = virStorageVolDelete(created.pointer, 0)
                }
                LibvirtError.discard()
            }
            throw error
        }
        return try await run { connection in
            try PoolHandle.lookup(pool, in: connection).volume(named: volume).describe(pool: pool, backend: backend)
        }
    }

    /// Follows the backup job of a machine (every 100 ms) until it has ended, and throws unless
    /// it completed.
    private func waitForBackup(ofMachine name: String, disk: String) async throws {
        while true {
            try await Task.sleep(for: .milliseconds(100))
            let finished: Bool = try await run { connection in
                let domain = try DomainHandle.lookup(name, in: connection)
                var info = virDomainJobInfo()
                try domain.check("follow the disk copy of") { virDomainGetJobInfo($0, &info) }
                guard info.type == Int32(VIR_DOMAIN_JOB_NONE.rawValue) else { return false }
                var type: Int32 = 0
                var parameters: virTypedParameterPtr?
                var count: Int32 = 0
                let flags = VIR_DOMAIN_JOB_STATS_COMPLETED.rawValue
                try domain.check("read the disk copy result of") {
                    virDomainGetJobStats($0, &type, &parameters, &count, flags)
                }
                virTypedParamsFree(parameters, count)
                guard type == Int32(VIR_DOMAIN_JOB_COMPLETED.rawValue) else {
                    throw SpecError.unavailable("copying disk '\(disk)' of machine '\(name)' failed on the host")
                }
                return true
            }
            if finished { return }
        }
    }
}

/// Backup job definitions.
enum BackupXML {
    /// A push-mode backup of disk `disk` into the existing qcow2 file `path` (on the libvirt
    /// host), every other disk of `skipping` left out.
    static func push(disk: String, to path: String, skipping targets: [String]) -> String {
        let e = XMLText.escape
        var out = "<domainbackup mode='push'><disks>"
        out +=
            "<disk name='\(e(disk))' backup='yes' type='file'><target file='\(e(path))'/><driver type='qcow2'/></disk>"
        for other in targets where other != disk { out += "<disk name='\(e(other))' backup='no'/>" }
        return out + "</disks></domainbackup>"
    }
}
