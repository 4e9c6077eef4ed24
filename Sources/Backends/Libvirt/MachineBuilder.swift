internal import CLibvirt
import Spec

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Creates a machine's volumes and definition on a thread-pool thread, undoing everything it
/// created when a later step fails.
final class MachineBuilder {
    let connection: LibvirtConnection
    let spec: MachineSpec
    let domainType: String
    let emulator: String?
    let defaultPool: String?
    private var createdVolumes: [VolumeHandle] = []

    init(connection: LibvirtConnection, spec: MachineSpec, domainType: String, emulator: String?, defaultPool: String?)
    {
        self.connection = connection
        self.spec = spec
        self.domainType = domainType
        self.emulator = emulator
        self.defaultPool = defaultPool
    }

    /// Builds the machine; on failure nothing stays behind.
    func build() throws(SpecError) -> DomainHandle {
        if let existing = virDomainLookupByName(connection.pointer, spec.name) {
            virDomainFree(existing)
            throw SpecError.conflict("machine '\(spec.name)' already exists")
        }
        LibvirtError.discard()
        do throws(SpecError) {
            let disks = try resolveDisks()
            let xml = DomainXMLBuilder(
                spec: spec, domainType: domainType, emulator: emulator, disks: disks,
                ownedPaths: createdVolumes.map(\.path)
            ).xml
            guard let pointer = virDomainDefineXML(connection.pointer, xml) else {
                throw LibvirtError.capture("define", "machine '\(spec.name)'", connection: connection)
            }
            let domain = DomainHandle(pointer, connection: connection)
            if spec.start, virDomainCreate(pointer) < 0 {
                let error = LibvirtError.capture("start", "machine '\(spec.name)'", connection: connection)
                _ = virDomainUndefineFlags(pointer, VIR_DOMAIN_UNDEFINE_NVRAM.rawValue)
                LibvirtError.discard()
                throw error
            }
            return domain
        } catch {
            rollback()
            throw error
        }
    }

    /// Deletes the volumes created so far.
    private func rollback() {
        for volume in createdVolumes.reversed() {
            _ = virStorageVolDelete(volume.pointer, 0)
        }
        LibvirtError.discard()
        createdVolumes = []
    }

    private func resolveDisks() throws(SpecError) -> [DomainXMLBuilder.Disk] {
        var used = Set<String>()
        var disks: [DomainXMLBuilder.Disk] = []
        for disk in spec.disks {
            let isCDROM: Bool
            if case .cdrom = disk.source { isCDROM = true } else { isCDROM = false }
            let target = DeviceNames.next(prefix: isCDROM ? "sd" : "vd", used: used)
            used.insert(target)
            let (path, format) = try source(of: disk, target: target)
            disks.append(
                DomainXMLBuilder.Disk(
                    target: target, device: isCDROM ? "cdrom" : "disk", bus: isCDROM ? "sata" : "virtio",
                    format: format, path: path))
        }
        return disks
    }

    private func source(of disk: DiskSpec, target: String) throws(SpecError) -> (path: String, format: String) {
        let volumeName = "\(spec.name)-\(target).qcow2"
        switch disk.source {
        case .overlay(let poolName, let baseName):
            let base = try PoolHandle.lookup(poolName, in: connection).volume(named: baseName)
            let described = try base.describe(pool: poolName, backend: "")
            let targetPool = try PoolHandle.lookup(disk.pool ?? defaultPool ?? poolName, in: connection)
            let capacity = max(disk.capacityBytes ?? 0, described.capacityBytes)
            let volume = try create(
                VolumeXML.xml(
                    name: volumeName, capacityBytes: capacity, format: "qcow2", backingPath: described.path,
                    backingFormat: described.format), in: targetPool)
            return (volume.path, "qcow2")
        case .blank(let capacityBytes):
            guard capacityBytes > 0 else { throw SpecError.invalid("disk size must be positive") }
            var poolName = disk.pool ?? defaultPool ?? ""
            if poolName.isEmpty { poolName = try Self.firstActivePool(connection) }
            let targetPool = try PoolHandle.lookup(poolName, in: connection)
            let volume = try create(
                VolumeXML.xml(name: volumeName, capacityBytes: capacityBytes, format: "qcow2"), in: targetPool)
            return (volume.path, "qcow2")
        case .existing(let poolName, let name):
            let described = try PoolHandle.lookup(poolName, in: connection).volume(named: name)
                .describe(pool: poolName, backend: "")
            return (described.path, described.format)
        case .cdrom(let poolName, let name):
            let described = try PoolHandle.lookup(poolName, in: connection).volume(named: name)
                .describe(pool: poolName, backend: "")
            return (described.path, "raw")
        }
    }

    private func create(_ xml: String, in pool: PoolHandle) throws(SpecError) -> VolumeHandle {
        guard let pointer = virStorageVolCreateXML(pool.pointer, xml, 0) else {
            throw LibvirtError.capture("create a volume for", "machine '\(spec.name)'", connection: connection)
        }
        let volume = VolumeHandle(pointer, connection: connection)
        createdVolumes.append(volume)
        return volume
    }

    /// The configured default: the first active pool.
    static func firstActivePool(_ connection: LibvirtConnection) throws(SpecError) -> String {
        var array: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllStoragePools(
            connection.pointer, &array, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE.rawValue)
        guard count >= 0 else { throw LibvirtError.capture("list", "storage pools", connection: connection) }
        let pools = takeHandles(array, count: count).map { PoolHandle($0, connection: connection) }
        guard let first = pools.map(\.name).sorted().first else {
            throw SpecError.invalid("no active storage pool for new disks")
        }
        return first
    }
}

/// Volume definitions vmgate creates.
enum VolumeXML {
    static func xml(
        name: String, capacityBytes: Int, format: String, backingPath: String? = nil, backingFormat: String? = nil,
        compat: String? = nil
    ) -> String {
        let e = XMLText.escape
        var out = "<volume><name>\(e(name))</name><capacity unit='bytes'>\(capacityBytes)</capacity>"
        out +=
            "<target><format type='\(e(format))'/>" + (compat.map { "<compat>\(e($0))</compat>" } ?? "") + "</target>"
        if let backingPath {
            out += "<backingStore><path>\(e(backingPath))</path>"
            out += "<format type='\(e(backingFormat ?? "qcow2"))'/></backingStore>"
        }
        return out + "</volume>"
    }
}
