internal import CLibvirt
import Spec

/// Reads pools and volumes on a thread-pool thread.
enum StorageReader {
    /// Every pool on the connection, by name.
    static func pools(_ connection: LibvirtConnection, backend: String) throws(SpecError) -> [StoragePool] {
        var array: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllStoragePools(connection.pointer, &array, 0)
        guard count >= 0 else { throw LibvirtError.capture("list", "storage pools", connection: connection) }
        let pools = takeHandles(array, count: count).map { PoolHandle($0, connection: connection) }
        var result: [StoragePool] = []
        for pool in pools {
            do throws(SpecError) {
                result.append(try describe(pool, backend: backend))
            } catch  where error.kind == .notFound {
                continue
            }
        }
        return result.sorted { $0.name < $1.name }
    }

    /// One pool as vmgate describes it.
    static func describe(_ pool: PoolHandle, backend: String) throws(SpecError) -> StoragePool {
        var info = virStoragePoolInfo()
        try pool.check("read") { virStoragePoolGetInfo($0, &info) }
        guard let xml = takeString(virStoragePoolGetXMLDesc(pool.pointer, 0)) else {
            throw LibvirtError.capture("read", "storage pool '\(pool.name)'", connection: pool.connection)
        }
        let root = try XMLText.document(xml, what: "pool").rootElement()
        let active = info.state == VIR_STORAGE_POOL_RUNNING.rawValue || info.state == VIR_STORAGE_POOL_DEGRADED.rawValue
        var volumes = 0
        if active {
            let count = virStoragePoolNumOfVolumes(pool.pointer)
            if count < 0 { LibvirtError.discard() } else { volumes = Int(count) }
        }
        var autostart: Int32 = 0
        if virStoragePoolGetAutostart(pool.pointer, &autostart) < 0 { LibvirtError.discard() }
        return StoragePool(
            name: pool.name, backend: backend, active: active, type: root?.attr("type") ?? "dir",
            path: root?.text("target/path"), capacityBytes: Int(info.capacity), allocationBytes: Int(info.allocation),
            availableBytes: Int(info.available), volumeCount: volumes, autostart: autostart == 1)
    }

    /// Volumes of a pool, by name.
    static func volumes(_ pool: PoolHandle, backend: String) throws(SpecError) -> [StorageVolume] {
        var array: UnsafeMutablePointer<OpaquePointer?>?
        let count = virStoragePoolListAllVolumes(pool.pointer, &array, 0)
        guard count >= 0 else {
            throw LibvirtError.capture(
                "list the volumes of", "storage pool '\(pool.name)'", connection: pool.connection)
        }
        let volumes = takeHandles(array, count: count).map { VolumeHandle($0, connection: pool.connection) }
        var result: [StorageVolume] = []
        for volume in volumes {
            do throws(SpecError) {
                result.append(try volume.describe(pool: pool.name, backend: backend))
            } catch  where error.kind == .notFound {
                continue
            }
        }
        return result.sorted { $0.name < $1.name }
    }
}
