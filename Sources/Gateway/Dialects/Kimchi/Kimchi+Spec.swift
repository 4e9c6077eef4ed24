import Foundation
import GatewayCore
import Spec

extension KimchiDialect {
    /// VM actions, as `POST /vms/:name/<action>`.
    static let vmActions: [String: MachineAction] = [
        "start": .start, "stop": .poweroff, "shutdown": .shutdown, "reset": .reset, "suspend": .suspend,
        "resume": .resume,
    ]

    /// Kimchi's name for a power state (libvirt's `virDomainState` names as Kimchi shows them).
    static func state(_ state: MachineState) -> String {
        switch state {
        case .running: "running"
        case .paused: "paused"
        case .shutoff: "shutoff"
        case .crashed: "crashed"
        case .pending: "shutdown"
        case .unknown: "nostate"
        }
    }

    /// How a VM is addressed in links: its name, or `backend:name` when several backends could share names.
    func reference(_ machine: Machine) -> String {
        fleet.backends.names.count > 1 ? machine.id : machine.name
    }

    func vmLink(_ machine: Machine) -> String { environment.link("/vms/\(reference(machine))") }

    static func graphics(_ machine: Machine) -> KimchiGraphics {
        guard let console = machine.graphics.first else { return KimchiGraphics(type: nil, listen: nil, port: nil) }
        let port = machine.state == .running ? console.port.flatMap { $0 > 0 ? $0 : nil } : nil
        return KimchiGraphics(type: console.type, listen: console.listen, port: port)
    }

    static func icon(_ machine: Machine) -> String? { machine.metadata.extra[iconKey] }

    /// Metadata key under which the icon of the VM's template is kept.
    static let iconKey = "kimchi.icon"

    func summary(_ machine: Machine) -> KimchiVMSummary {
        KimchiVMSummary(
            name: machine.name, uuid: machine.uuid, state: Self.state(machine.state), memory: machine.memoryMiB,
            cpus: machine.vcpus, icon: Self.icon(machine), graphics: Self.graphics(machine),
            persistent: machine.persistent, template: machine.metadata.template, backend: machine.backend,
            href: vmLink(machine))
    }

    func full(_ machine: Machine, stats: KimchiStats, screenshot: String?, icon: String?) -> KimchiVM {
        KimchiVM(
            name: machine.name, uuid: machine.uuid, state: Self.state(machine.state), stats: stats,
            memory: machine.memoryMiB, cpus: machine.vcpus, screenshot: screenshot, icon: icon,
            graphics: Self.graphics(machine), persistent: machine.persistent, template: machine.metadata.template,
            group: machine.metadata.group, backend: machine.backend, href: vmLink(machine),
            actions: Self.vmActions.keys.sorted())
    }

    func pool(_ pool: StoragePool) -> KimchiPool {
        KimchiPool(
            name: pool.name, state: pool.active ? "active" : "inactive", path: pool.path, type: pool.type,
            capacity: pool.capacityBytes >> 20, allocated: pool.allocationBytes >> 20,
            available: pool.availableBytes >> 20, nr_volumes: pool.active ? pool.volumeCount : 0,
            autostart: pool.autostart, href: environment.link("/storagepools/\(pool.name)"))
    }

    func volume(_ volume: StorageVolume, usedBy: [String], poolName: String? = nil) -> KimchiVolume {
        var wire = KimchiVolume(
            name: volume.name, pool: volume.pool, type: volume.type, capacity: volume.capacityBytes >> 20,
            allocation: volume.allocationBytes >> 20, format: volume.format, path: volume.path, used_by: usedBy,
            href: environment.link("/storagepools/\(poolName ?? volume.pool)/storagevolumes/\(volume.name)"))
        if Self.isISO(volume) {
            let info = isos.inspect(path: volume.path)
            wire.os_distro = info.distro
            wire.os_version = info.version
            wire.bootable = info.bootable
        }
        return wire
    }

    static func isISO(_ volume: StorageVolume) -> Bool {
        volume.format == "iso" || volume.name.lowercased().hasSuffix(".iso")
    }

    func task(_ record: TaskRecord) -> KimchiTask {
        KimchiTask(
            id: record.id, status: record.status.rawValue, message: record.message, target: record.target,
            target_uri: record.target)
    }

    /// Memory in MB from a request, as KiB, within the gateway's limits.
    static func kibibytes(megabytes: Int, what: String = "memory") throws -> Int {
        try Limits.memoryKiB(megabytes, .mib, field: what)
    }

    /// The last path component after `collection/` in a Kimchi URI (`/templates/NAME` → `NAME`).
    static func identifier(fromURI uri: String, collection: String) -> String? {
        var path = Substring(uri)
        if let scheme = path.range(of: "://") {
            path = path[scheme.upperBound...]
            path = path.drop { $0 != "/" }
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let index = parts.lastIndex(of: Substring(collection)), index + 1 == parts.count - 1 else {
            return parts.count == 1 && !uri.hasPrefix("/") ? String(parts[0]) : nil
        }
        return String(parts[index + 1])
    }
}
