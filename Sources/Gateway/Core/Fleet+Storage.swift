public import Spec

extension Fleet {
    /// Storage pools of all backends that have storage (or of one backend).
    public func storagePools(backend name: String? = nil) async throws -> [StoragePool] {
        var pools: [StoragePool] = []
        for backend in try storageBackends(name) {
            if let list = try? await call(backend, "storagePools", { try await $0.storagePools() }) { pools += list }
        }
        return pools
    }

    /// The backend holding pool `pool` (the named backend, or the first that has it). When no
    /// backend has it but one failed to answer, that failure is the honest answer, not 404.
    public func backend(holdingPool pool: String, backend name: String? = nil) async throws -> any Backend {
        var failure: SpecError?
        for backend in try storageBackends(name) {
            do {
                _ = try await call(backend, "storagePool") { try await $0.storagePool(named: pool) }
                return backend
            } catch let error as SpecError where error.kind == .notFound {
                continue
            } catch {
                failure = failure ?? SpecError.wrap(error)
            }
        }
        throw failure ?? SpecError.notFound("no storage pool named '\(pool)'")
    }

    /// One pool.
    public func storagePool(_ pool: String, backend: String? = nil) async throws -> StoragePool {
        let holder = try await self.backend(holdingPool: pool, backend: backend)
        return try await call(holder, "storagePool") { try await $0.storagePool(named: pool) }
    }

    /// Runs `body` against the backend holding `pool`.
    public func onPool<T: Sendable>(
        _ pool: String, backend: String? = nil, _ operation: String,
        _ body: @escaping @Sendable (any Backend) async throws -> T
    ) async throws -> T {
        let holder = try await self.backend(holdingPool: pool, backend: backend)
        return try await call(holder, operation, body)
    }

    /// Volumes of a pool.
    public func volumes(inPool pool: String, backend: String? = nil) async throws -> [StorageVolume] {
        try await onPool(pool, backend: backend, "volumes") { try await $0.volumes(inPool: pool) }
    }

    /// One volume.
    public func volume(_ name: String, inPool pool: String, backend: String? = nil) async throws -> StorageVolume {
        try await onPool(pool, backend: backend, "volume") { try await $0.volume(named: name, inPool: pool) }
    }

    /// Creates a volume after validating its name and size.
    public func createVolume(_ spec: VolumeSpec, inPool pool: String, backend: String? = nil) async throws
        -> StorageVolume
    {
        try NameRules.validate(spec.name, what: "volume name")
        try Limits.validate(diskBytes: spec.capacityBytes, what: "volume capacity")
        guard ["qcow2", "raw", "iso"].contains(spec.format) else {
            throw SpecError.invalid("volume format must be qcow2, raw or iso, not '\(spec.format)'")
        }
        let volume = try await onPool(pool, backend: backend, "createVolume") {
            try await $0.createVolume(spec, inPool: pool)
        }
        try await recordVolume(volume)
        return volume
    }

    /// Creates a `dir` pool on `backend` after checking its name and that its path lies inside
    /// the backend's storage roots (never `/`, a system directory or the gateway's data directory).
    public func createStoragePool(_ spec: StoragePoolSpec, backend name: String) async throws -> StoragePool {
        try NameRules.validate(spec.name, what: "storage pool name")
        guard spec.type == "dir" else {
            throw SpecError.invalid("only storage pools of type 'dir' can be created, not '\(spec.type)'")
        }
        let backend = try backends.backend(name)
        try backends.defaults(name).storageRoots.validate(poolPath: spec.path, protected: protectedPaths)
        try backend.require(.poolManagement, "storage pool creation")
        var spec = spec
        spec.path = HostPath.normalize(spec.path)
        return try await call(backend, "createStoragePool") { [spec] in try await $0.createStoragePool(spec) }
    }

    /// Machines whose disks use volume `path`.
    public func machines(usingVolumePath path: String) async -> [Machine] {
        await machines().machines.filter { $0.disks.contains { $0.path == path } }
    }

    private func storageBackends(_ name: String?) throws -> [any Backend] {
        let candidates = try name.map { [try backends.backend($0)] } ?? backends.all
        return candidates.filter { $0.capabilities.contains(.storage) }
    }
}
