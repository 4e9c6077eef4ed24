public import Spec

extension Fleet {
    /// Inspects a spooled image (``ImageInspector``) and uploads it as new volume `name` of
    /// `pool` on `backend`, streamed from the spool file. `declaredFormat` is the client's, if any.
    public func uploadImage(
        _ spool: ImageSpool, byteCount: Int, declaredFormat: String?, named name: String, inPool pool: String,
        backend: any Backend
    ) async throws -> StorageVolume {
        try NameRules.validate(name, what: "volume name")
        let image = try await ImageInspector.inspect(
            path: spool.path, byteCount: byteCount, declaredFormat: declaredFormat)
        let volume = try await call(backend, "uploadVolume", timeout: imports.timeoutSeconds) {
            try await $0.uploadVolume(named: name, inPool: pool, from: image)
        }
        try await recordVolume(volume)
        return volume
    }

    /// Inspects a spooled image and writes it over existing volume `name` of `pool` on `backend`,
    /// which the gateway must have created (a seed image it rewrites).
    public func writeImage(
        _ spool: ImageSpool, byteCount: Int, declaredFormat: String?, named name: String, inPool pool: String,
        backend: any Backend
    ) async throws -> StorageVolume {
        let current = try await volume(name, inPool: pool, backend: backend.name)
        guard try await ownsVolume(current) else {
            throw SpecError.conflict(
                "volume '\(name)' was not created through the gateway, so the gateway does not overwrite it")
        }
        let image = try await ImageInspector.inspect(
            path: spool.path, byteCount: byteCount, declaredFormat: declaredFormat)
        return try await call(backend, "writeVolume", timeout: imports.timeoutSeconds) {
            try await $0.writeVolume(named: name, inPool: pool, from: image)
        }
    }

    /// Imports the image at `source` as new volume `name`: read into a spool file (never into
    /// memory), inspected, uploaded to `backend`, spool removed. Returns the volume and the image.
    public func importImage(
        _ source: ImageSource, named name: String, inPool pool: String, backend: any Backend,
        progress: TaskRunner.Progress? = nil
    ) async throws -> (volume: StorageVolume, image: ImageFile) {
        try NameRules.validate(name, what: "volume name")
        return try await ImageSpool.with(directory: imports.spoolDirectory, limit: imports.maxBytes) { spool in
            await progress?.update(5, "fetching \(source.summary)")
            let count = try await source.read(into: spool)
            await progress?.update(40, "inspecting \(count) bytes")
            let image = try await ImageInspector.inspect(path: spool.path, byteCount: count, declaredFormat: nil)
            await progress?.update(50, "uploading \(count) bytes (\(image.format))")
            let volume = try await call(backend, "uploadVolume", timeout: imports.timeoutSeconds) {
                try await $0.uploadVolume(named: name, inPool: pool, from: image)
            }
            try await recordVolume(volume)
            return (volume, image)
        }
    }
}
