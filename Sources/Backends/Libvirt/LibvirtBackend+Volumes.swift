internal import CLibvirt
public import Spec

extension LibvirtBackend {
    /// Volumes of a pool.
    public func volumes(inPool pool: String) async throws -> [StorageVolume] {
        try require(.storage, "storage")
        let backend = name
        return try await run { try StorageReader.volumes(PoolHandle.lookup(pool, in: $0), backend: backend) }
    }

    /// One volume.
    public func volume(named name: String, inPool pool: String) async throws -> StorageVolume {
        try require(.storage, "storage")
        let backend = self.name
        return try await run {
            try PoolHandle.lookup(pool, in: $0).volume(named: name).describe(pool: pool, backend: backend)
        }
    }

    /// Creates a blank volume, or a qcow2 overlay of `backingPool`/`backingVolume`.
    public func createVolume(_ spec: VolumeSpec, inPool pool: String) async throws -> StorageVolume {
        try require(.storage, "storage")
        try NameRules.validate(spec.name, what: "volume name")
        guard ["qcow2", "raw"].contains(spec.format) else {
            throw SpecError.invalid("volume format must be 'qcow2' or 'raw', not '\(spec.format)'")
        }
        guard spec.capacityBytes > 0 || spec.backingVolume != nil else {
            throw SpecError.invalid("volume capacity must be positive")
        }
        if spec.backingVolume != nil {
            try require(.overlayClone, "overlay volumes")
            guard spec.format == "qcow2" else { throw SpecError.invalid("overlay volumes must be qcow2") }
        }
        let backend = name
        return try await run { connection in
            let target = try PoolHandle.lookup(pool, in: connection)
            if let existing = virStorageVolLookupByName(target.pointer, spec.name) {
                virStorageVolFree(existing)
                throw SpecError.conflict("volume '\(spec.name)' already exists in pool '\(pool)'")
            }
            LibvirtError.discard()
            var xml = VolumeXML.xml(name: spec.name, capacityBytes: spec.capacityBytes, format: spec.format)
            if let baseName = spec.backingVolume {
                let basePool = spec.backingPool ?? pool
                let base = try PoolHandle.lookup(basePool, in: connection).volume(named: baseName)
                    .describe(pool: basePool, backend: backend)
                xml = VolumeXML.xml(
                    name: spec.name, capacityBytes: max(spec.capacityBytes, base.capacityBytes), format: "qcow2",
                    backingPath: base.path, backingFormat: base.format)
            }
            guard let pointer = virStorageVolCreateXML(target.pointer, xml, 0) else {
                throw LibvirtError.capture("create", "volume '\(spec.name)'", connection: connection)
            }
            return try VolumeHandle(pointer, connection: connection).describe(pool: pool, backend: backend)
        }
    }

    /// Deletes a volume; refuses one a machine uses.
    public func deleteVolume(named name: String, inPool pool: String) async throws {
        try require(.storage, "storage")
        let current = try await volume(named: name, inPool: pool)
        if let user = cache.all().first(where: { $0.disks.contains { $0.path == current.path } }) {
            throw SpecError.conflict("volume '\(name)' is used by machine '\(user.name)'")
        }
        try await run { connection in
            try PoolHandle.lookup(pool, in: connection).volume(named: name).check("delete") {
                virStorageVolDelete($0, 0)
            }
        }
    }

    /// Grows or shrinks a volume.
    public func resizeVolume(named name: String, inPool pool: String, capacityBytes: Int) async throws -> StorageVolume
    {
        try require(.volumeMaintenance, "volume resize")
        guard capacityBytes > 0 else { throw SpecError.invalid("volume capacity must be positive") }
        let backend = self.name
        return try await run { connection in
            let volume = try PoolHandle.lookup(pool, in: connection).volume(named: name)
            let current = try volume.info()
            let flags = UInt64(capacityBytes) < current.capacity ? VIR_STORAGE_VOL_RESIZE_SHRINK.rawValue : 0
            try volume.check("resize") { virStorageVolResize($0, UInt64(capacityBytes), flags) }
            return try volume.describe(pool: pool, backend: backend)
        }
    }

    /// Overwrites a volume with zeros.
    public func wipeVolume(named name: String, inPool pool: String) async throws {
        try require(.volumeMaintenance, "volume wipe")
        try await run { connection in
            try PoolHandle.lookup(pool, in: connection).volume(named: name).check("wipe") { virStorageVolWipe($0, 0) }
        }
    }
}
