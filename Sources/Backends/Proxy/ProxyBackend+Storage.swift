public import Spec

extension ProxyBackend {
    private func poolPath(_ pool: String, _ rest: String = "") -> String {
        "/pools/" + ProxyWire.segment(pool) + rest
    }

    private func volumePath(_ volume: String, _ pool: String, _ rest: String = "") -> String {
        poolPath(pool, "/volumes/" + ProxyWire.segment(volume) + rest)
    }

    private func local(_ pool: StoragePool) -> StoragePool {
        var copy = pool
        copy.backend = name
        return copy
    }

    private func local(_ volume: StorageVolume) -> StorageVolume {
        var copy = volume
        copy.backend = name
        return copy
    }

    /// All pools.
    public func storagePools() async throws -> [StoragePool] {
        try await need(.storage, "storage")
        let pools: [StoragePool] = try await get("/pools")
        return pools.map(local)
    }

    /// One pool.
    public func storagePool(named name: String) async throws -> StoragePool {
        try await need(.storage, "storage")
        return local(try await get(poolPath(name)))
    }

    /// Defines and starts a pool.
    public func createStoragePool(_ spec: StoragePoolSpec) async throws -> StoragePool {
        try await need(.poolManagement, "pool management")
        return local(try await send("POST", "/pools", json: spec))
    }

    /// Activates or deactivates a pool.
    public func setStoragePool(named name: String, active: Bool) async throws -> StoragePool {
        try await need(.storage, "storage")
        return local(try await send("PATCH", poolPath(name), json: ["active": active]))
    }

    /// Removes a pool definition.
    public func deleteStoragePool(named name: String) async throws {
        try await need(.poolManagement, "pool management")
        _ = try await call("DELETE", poolPath(name))
    }

    /// Volumes of a pool.
    public func volumes(inPool pool: String) async throws -> [StorageVolume] {
        try await need(.storage, "storage")
        let volumes: [StorageVolume] = try await get(poolPath(pool, "/volumes"))
        return volumes.map(local)
    }

    /// One volume.
    public func volume(named name: String, inPool pool: String) async throws -> StorageVolume {
        try await need(.storage, "storage")
        return local(try await get(volumePath(name, pool)))
    }

    /// Creates a volume.
    public func createVolume(_ spec: VolumeSpec, inPool pool: String) async throws -> StorageVolume {
        try await need(.storage, "storage")
        return local(try await send("POST", poolPath(pool, "/volumes"), json: spec))
    }

    /// Deletes a volume.
    public func deleteVolume(named name: String, inPool pool: String) async throws {
        try await need(.storage, "storage")
        _ = try await call("DELETE", volumePath(name, pool))
    }

    /// Resizes a volume.
    public func resizeVolume(named name: String, inPool pool: String, capacityBytes: Int) async throws -> StorageVolume
    {
        try await need(.volumeMaintenance, "volume resize")
        return local(try await send("POST", volumePath(name, pool, "/resize"), json: ["capacityBytes": capacityBytes]))
    }

    /// Overwrites a volume with zeros.
    public func wipeVolume(named name: String, inPool pool: String) async throws {
        try await need(.volumeMaintenance, "volume wipe")
        _ = try await call("POST", volumePath(name, pool, "/wipe"), body: [])
    }
}

extension ProxyBackend {
    /// Uploads an image into a new upstream volume, streaming the local file as the request body.
    public func uploadVolume(named name: String, inPool pool: String, from image: ImageFile) async throws
        -> StorageVolume
    {
        try await need(.volumeMaintenance, "volume uploads")
        let query = "?name=" + ProxyWire.segment(name) + "&format=" + ProxyWire.segment(image.format)
        let response = try await call(
            "POST", poolPath(pool, "/uploads" + query), upload: image, contentType: "application/octet-stream")
        return local(try decode(StorageVolume.self, response))
    }

    /// Overwrites an upstream volume with an image, streaming the local file as the request body.
    public func writeVolume(named name: String, inPool pool: String, from image: ImageFile) async throws
        -> StorageVolume
    {
        try await need(.volumeMaintenance, "volume writes")
        let query = "?format=" + ProxyWire.segment(image.format)
        let response = try await call(
            "PUT", volumePath(name, pool, "/content" + query), upload: image, contentType: "application/octet-stream")
        return local(try decode(StorageVolume.self, response))
    }

    /// Has the upstream copy a machine's disk into a new volume on its host.
    public func copyDisk(_ target: String, ofMachine name: String, toVolume volume: String, inPool pool: String)
        async throws -> StorageVolume
    {
        try await need(.volumeMaintenance, "disk copies")
        let path = "/machines/" + ProxyWire.segment(name) + "/disks/" + ProxyWire.segment(target) + "/copy"
        return local(try await send("POST", path, json: ["pool": pool, "volume": volume]))
    }
}
