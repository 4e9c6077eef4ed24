internal import CLibvirt
import Spec

/// Reads domains into ``Machine`` values. Runs on a thread-pool thread.
enum MachineReader {
    /// Every domain on the connection.
    static func readAll(_ connection: LibvirtConnection, backend: String) throws(SpecError) -> [Machine] {
        var array: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllDomains(connection.pointer, &array, 0)
        guard count >= 0 else {
            throw LibvirtError.capture("list", "machines", connection: connection)
        }
        let domains = takeHandles(array, count: count).map { DomainHandle($0, connection: connection) }
        var machines: [Machine] = []
        for domain in domains {
            do throws(SpecError) {
                machines.append(try read(domain, backend: backend))
            } catch  where error.kind == .notFound {
                continue  // vanished between listing and reading
            }
        }
        return machines
    }

    /// One domain by name, or nil when it does not exist.
    static func read(named name: String, _ connection: LibvirtConnection, backend: String) throws(SpecError)
        -> Machine?
    {
        do throws(SpecError) {
            return try read(DomainHandle.lookup(name, in: connection), backend: backend)
        } catch  where error.kind == .notFound {
            return nil
        }
    }

    /// One domain.
    static func read(_ domain: DomainHandle, backend: String) throws(SpecError) -> Machine {
        let state = try domain.state()
        let xml = try DomainXML(domain.xml())
        let owned = Set(xml.vmgate.ownedPaths)
        let disks = xml.disks.map { disk in
            var machineDisk = MachineDisk(
                target: disk.target, device: disk.device, bus: disk.bus, format: disk.format, path: disk.path,
                ownedByGateway: disk.path.map(owned.contains) ?? false)
            if let path = disk.path, let volume = VolumeHandle.lookup(path: path, in: domain.connection) {
                machineDisk.volume = volume.name
                machineDisk.pool = volume.poolName
                machineDisk.capacityBytes = (try? volume.info()).map { Int($0.capacity) }
                LibvirtError.discard()
            }
            return machineDisk
        }
        return Machine(
            uuid: xml.uuid, name: xml.name, backend: backend, state: state.state, vcpus: xml.vcpus,
            memoryKiB: xml.memoryKiB, disks: disks, nics: xml.nics, graphics: xml.graphics,
            hasSerialConsole: xml.hasSerialConsole, metadata: xml.vmgate.metadata, persistent: domain.isPersistent)
    }
}
