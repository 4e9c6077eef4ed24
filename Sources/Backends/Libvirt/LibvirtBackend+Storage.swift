internal import CLibvirt
public import Spec

extension LibvirtBackend {
    /// All pools.
    public func storagePools() async throws -> [StoragePool] {
        try require(.storage, "storage")
        let backend = name
        return try await run { try StorageReader.pools($0, backend: backend) }
    }

    /// One pool.
    public func storagePool(named name: String) async throws -> StoragePool {
        try require(.storage, "storage")
        let backend = self.name
        return try await run { try StorageReader.describe(PoolHandle.lookup(name, in: $0), backend: backend) }
    }

    /// Defines a directory pool, builds its directory, starts it and marks it autostart.
    public func createStoragePool(_ spec: StoragePoolSpec) async throws -> StoragePool {
        try require(.poolManagement, "pool management")
        try NameRules.validate(spec.name, what: "pool name")
        guard spec.type == "dir" else { throw SpecError.invalid("only 'dir' pools can be created, not '\(spec.type)'") }
        guard spec.path.hasPrefix("/"), !spec.path.contains("\0") else {
            throw SpecError.invalid("pool path must be absolute")
        }
        let backend = self.name
        return try await run { connection in
            if let existing = virStoragePoolLookupByName(connection.pointer, spec.name) {
                virStoragePoolFree(existing)
                throw SpecError.conflict("storage pool '\(spec.name)' already exists")
            }
            LibvirtError.discard()
            let e = XMLText.escape
            let xml =
                "<pool type='dir'><name>\(e(spec.name))</name><target><path>\(e(spec.path))</path></target></pool>"
            guard let pointer = virStoragePoolDefineXML(connection.pointer, xml, 0) else {
                throw LibvirtError.capture("define", "storage pool '\(spec.name)'", connection: connection)
            }
            let pool = PoolHandle(pointer, connection: connection)
            do throws(SpecError) {
                try pool.check("build") { virStoragePoolBuild($0, 0) }
                try pool.check("start") { virStoragePoolCreate($0, 0) }
                try pool.check("set autostart on") { virStoragePoolSetAutostart($0, 1) }
            } catch {
                if pool.isActive { _ = virStoragePoolDestroy(pool.pointer) }
                _ = virStoragePoolUndefine(pool.pointer)
                LibvirtError.discard()
                throw error
            }
            return try StorageReader.describe(pool, backend: backend)
        }
    }

    /// Starts or stops a pool (no-op when already in that state).
    public func setStoragePool(named name: String, active: Bool) async throws -> StoragePool {
        try require(.storage, "storage")
        let backend = self.name
        return try await run { connection in
            let pool = try PoolHandle.lookup(name, in: connection)
            if active, !pool.isActive {
                try pool.check("start") { virStoragePoolCreate($0, 0) }
            } else if !active, pool.isActive {
                try pool.check("stop") { virStoragePoolDestroy($0) }
            }
            return try StorageReader.describe(pool, backend: backend)
        }
    }

    /// Removes an inactive pool's definition (its directory and volumes stay).
    public func deleteStoragePool(named name: String) async throws {
        try require(.poolManagement, "pool management")
        try await run { connection in
            let pool = try PoolHandle.lookup(name, in: connection)
            guard !pool.isActive else {
                throw SpecError.conflict("storage pool '\(name)' is active; deactivate it first")
            }
            try pool.check("undefine") { virStoragePoolUndefine($0) }
        }
    }
}
