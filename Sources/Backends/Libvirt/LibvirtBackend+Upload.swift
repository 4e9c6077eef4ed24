internal import CLibvirt
public import Spec

#if canImport(Glibc)
    import Glibc
#endif

extension LibvirtBackend {
    /// Creates a volume sized for the image and streams the gateway-local file into it
    /// (`virStorageVolUpload`, 256 KiB at a time); the volume is deleted again when the upload fails.
    public func uploadVolume(named name: String, inPool pool: String, from image: ImageFile) async throws
        -> StorageVolume
    {
        try require(.volumeMaintenance, "volume uploads")
        try NameRules.validate(name, what: "volume name")
        try Self.check(image)
        let backend = self.name
        return try await run { connection in
            let target = try PoolHandle.lookup(pool, in: connection)
            if let existing = virStorageVolLookupByName(target.pointer, name) {
                virStorageVolFree(existing)
                throw SpecError.conflict("volume '\(name)' already exists in pool '\(pool)'")
            }
            LibvirtError.discard()
            let xml = VolumeXML.xml(name: name, capacityBytes: image.byteCount, format: image.format)
            guard let pointer = virStorageVolCreateXML(target.pointer, xml, 0) else {
                throw LibvirtError.capture("create", "volume '\(name)'", connection: connection)
            }
            let volume = VolumeHandle(pointer, connection: connection)
            do {
                try Self.upload(image, to: volume, name: name, connection: connection)
            } catch {
                _ = virStorageVolDelete(pointer, 0)
                LibvirtError.discard()
                throw error
            }
            return try volume.describe(pool: pool, backend: backend)
        }
    }

    /// Overwrites an existing volume from its first byte with the image, growing it first when
    /// the image is larger than the volume.
    public func writeVolume(named name: String, inPool pool: String, from image: ImageFile) async throws
        -> StorageVolume
    {
        try require(.volumeMaintenance, "volume writes")
        try Self.check(image)
        let backend = self.name
        return try await run { connection in
            let volume = try PoolHandle.lookup(pool, in: connection).volume(named: name)
            let current = try volume.describe(pool: pool, backend: backend)
            // libvirt reports a raw file holding an ISO 9660 image as `iso`: raw contents either way.
            guard current.format == image.format || (image.format == "raw" && current.format == "iso") else {
                throw SpecError.invalid(
                    "volume '\(name)' is \(current.format); it cannot be written with a \(image.format) image")
            }
            if current.capacityBytes < image.byteCount {
                try volume.check("resize") { virStorageVolResize($0, UInt64(image.byteCount), 0) }
            }
            try Self.upload(image, to: volume, name: name, connection: connection)
            return try volume.describe(pool: pool, backend: backend)
        }
    }

    private static func check(_ image: ImageFile) throws(SpecError) {
        guard ["qcow2", "raw"].contains(image.format) else {
            throw SpecError.invalid("volume format must be 'qcow2' or 'raw', not '\(image.format)'")
        }
        guard image.byteCount > 0 else { throw SpecError.invalid("the image to upload is empty") }
    }

    /// Streams `image.byteCount` bytes of the file into the volume from offset 0. Runs on a
    /// worker thread; holds one 256 KiB buffer, whatever the image's size.
    private static func upload(
        _ image: ImageFile, to volume: VolumeHandle, name: String, connection: LibvirtConnection
    ) throws(SpecError) {
        let descriptor = Glibc.open(image.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SpecError.unavailable("the gateway cannot read the image for volume '\(name)' (error \(errno))")
        }
        defer { Glibc.close(descriptor) }
        guard let pointer = virStreamNew(connection.pointer, 0) else {
            throw LibvirtError.capture("open a stream for", "volume '\(name)'", connection: connection)
        }
        let stream = StreamHandle(pointer)
        try volume.check("upload to") { virStorageVolUpload($0, stream.pointer, 0, UInt64(image.byteCount), 0) }
        var buffer = [CChar](repeating: 0, count: 256 * 1024)
        var remaining = image.byteCount
        while remaining > 0 {
            let count = buffer.withUnsafeMutableBytes {
                Glibc.read(descriptor, $0.baseAddress, min($0.count, remaining))
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                throw SpecError.unavailable("the image for volume '\(name)' ended early or cannot be read")
            }
            var offset = 0
            while offset < count {
                let sent = buffer.withUnsafeBufferPointer {
                    virStreamSend(stream.pointer, $0.baseAddress! + offset, count - offset)
                }
                guard sent > 0 else {
                    throw LibvirtError.capture("upload to", "volume '\(name)'", connection: connection)
                }
                offset += Int(sent)
            }
            remaining -= count
        }
        try stream.finish { LibvirtError.capture("finish the upload to", "volume '\(name)'", connection: connection) }
    }
}
