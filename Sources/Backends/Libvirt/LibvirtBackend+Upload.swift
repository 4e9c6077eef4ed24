internal import CLibvirt
public import Spec

extension LibvirtBackend {
    /// Creates a volume sized for `data` and streams `data` into it (`virStorageVolUpload`);
    /// the volume is deleted again when the upload fails.
    public func uploadVolume(named name: String, format: String, inPool pool: String, data: [UInt8]) async throws
        -> StorageVolume
    {
        try require(.volumeMaintenance, "volume uploads")
        try NameRules.validate(name, what: "volume name")
        guard ["qcow2", "raw"].contains(format) else {
            throw SpecError.invalid("volume format must be 'qcow2' or 'raw', not '\(format)'")
        }
        guard !data.isEmpty else { throw SpecError.invalid("the image to upload is empty") }
        let backend = self.name
        return try await run { connection in
            let target = try PoolHandle.lookup(pool, in: connection)
            if let existing = virStorageVolLookupByName(target.pointer, name) {
                virStorageVolFree(existing)
                throw SpecError.conflict("volume '\(name)' already exists in pool '\(pool)'")
            }
            LibvirtError.discard()
            let xml = VolumeXML.xml(name: name, capacityBytes: data.count, format: format)
            guard let pointer = virStorageVolCreateXML(target.pointer, xml, 0) else {
                throw LibvirtError.capture("create", "volume '\(name)'", connection: connection)
            }
            let volume = VolumeHandle(pointer, connection: connection)
            do {
                try Self.upload(data, to: volume, name: name, connection: connection)
            } catch {
                _ = virStorageVolDelete(pointer, 0)
                LibvirtError.discard()
                throw error
            }
            return try volume.describe(pool: pool, backend: backend)
        }
    }

    private static func upload(
        _ data: [UInt8], to volume: VolumeHandle, name: String, connection: LibvirtConnection
    ) throws(SpecError) {
        guard let pointer = virStreamNew(connection.pointer, 0) else {
            throw LibvirtError.capture("open a stream for", "volume '\(name)'", connection: connection)
        }
        let stream = StreamHandle(pointer)
        try volume.check("upload to") { virStorageVolUpload($0, stream.pointer, 0, UInt64(data.count), 0) }
        let chunk = 256 * 1024
        var offset = 0
        while offset < data.count {
            let end = min(offset + chunk, data.count)
            let sent = data[offset..<end].map { CChar(bitPattern: $0) }.withUnsafeBufferPointer {
                virStreamSend(stream.pointer, $0.baseAddress, $0.count)
            }
            guard sent > 0 else { throw LibvirtError.capture("upload to", "volume '\(name)'", connection: connection) }
            offset += Int(sent)
        }
        try stream.finish { LibvirtError.capture("finish the upload to", "volume '\(name)'", connection: connection) }
    }
}
