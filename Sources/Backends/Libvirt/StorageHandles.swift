internal import CLibvirt
import Foundation
import Spec

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Owns one `virStoragePoolPtr`. Used only inside a single thread-pool closure.
final class PoolHandle {
    let pointer: OpaquePointer
    let connection: LibvirtConnection

    init(_ pointer: OpaquePointer, connection: LibvirtConnection) {
        self.pointer = pointer
        self.connection = connection
    }

    deinit { virStoragePoolFree(pointer) }

    static func lookup(_ name: String, in connection: LibvirtConnection) throws(SpecError) -> PoolHandle {
        guard let pointer = virStoragePoolLookupByName(connection.pointer, name) else {
            throw LibvirtError.capture("look up", "storage pool '\(name)'", connection: connection)
        }
        return PoolHandle(pointer, connection: connection)
    }

    var name: String { virStoragePoolGetName(pointer).map { String(cString: $0) } ?? "" }

    var isActive: Bool {
        let result = virStoragePoolIsActive(pointer)
        if result < 0 { LibvirtError.discard() }
        return result == 1
    }

    func check(_ verb: String, _ call: (OpaquePointer) -> Int32) throws(SpecError) {
        if call(pointer) < 0 {
            throw LibvirtError.capture(verb, "storage pool '\(name)'", connection: connection)
        }
    }

    func volume(named name: String) throws(SpecError) -> VolumeHandle {
        guard let volume = virStorageVolLookupByName(pointer, name) else {
            throw LibvirtError.capture("look up", "volume '\(name)' in pool '\(self.name)'", connection: connection)
        }
        return VolumeHandle(volume, connection: connection)
    }
}

/// Owns one `virStorageVolPtr`. Used only inside a single thread-pool closure.
final class VolumeHandle {
    let pointer: OpaquePointer
    let connection: LibvirtConnection

    init(_ pointer: OpaquePointer, connection: LibvirtConnection) {
        self.pointer = pointer
        self.connection = connection
    }

    deinit { virStorageVolFree(pointer) }

    /// The volume at a host path, or nil (the lookup error is discarded).
    static func lookup(path: String, in connection: LibvirtConnection) -> VolumeHandle? {
        guard let pointer = virStorageVolLookupByPath(connection.pointer, path) else {
            LibvirtError.discard()
            return nil
        }
        return VolumeHandle(pointer, connection: connection)
    }

    var name: String { virStorageVolGetName(pointer).map { String(cString: $0) } ?? "" }

    var path: String { takeString(virStorageVolGetPath(pointer)) ?? "" }

    /// Name of the pool holding the volume.
    var poolName: String? {
        guard let pool = virStoragePoolLookupByVolume(pointer) else {
            LibvirtError.discard()
            return nil
        }
        return PoolHandle(pool, connection: connection).name
    }

    func check(_ verb: String, _ call: (OpaquePointer) -> Int32) throws(SpecError) {
        if call(pointer) < 0 {
            throw LibvirtError.capture(verb, "volume '\(name)'", connection: connection)
        }
    }

    /// Type, capacity and allocation.
    func info() throws(SpecError) -> virStorageVolInfo {
        var info = virStorageVolInfo()
        try check("read", { virStorageVolGetInfo($0, &info) })
        return info
    }

    /// Reads the volume as vmgate describes it.
    func describe(pool: String, backend: String) throws(SpecError) -> StorageVolume {
        let info = try info()
        guard let xml = takeString(virStorageVolGetXMLDesc(pointer, 0)) else {
            throw LibvirtError.capture("read", "volume '\(name)'", connection: connection)
        }
        let root = try XMLText.document(xml, what: "volume").rootElement()
        let types = ["file", "block", "dir", "network", "netdir", "ploop"]
        let type = Int(info.type) < types.count ? types[Int(info.type)] : "file"
        return StorageVolume(
            name: name, pool: pool, backend: backend, path: root?.text("target/path") ?? path, type: type,
            format: root?.path("target/format")?.attr("type") ?? "raw", capacityBytes: Int(info.capacity),
            allocationBytes: Int(info.allocation), backingPath: root?.text("backingStore/path"))
    }
}
