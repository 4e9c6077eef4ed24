import Foundation
import GatewayCore
import Spec

extension NativeMachine {
    init(_ machine: Machine, prefix: String) {
        let link = "\(prefix)/machines/\(machine.id)"
        self.init(
            id: machine.id, uuid: machine.uuid, name: machine.name, backend: machine.backend,
            state: machine.state.rawValue, vcpus: machine.vcpus, memoryMiB: machine.memoryMiB,
            group: machine.metadata.group, template: machine.metadata.template,
            owner: machine.metadata.owner, tags: machine.metadata.tags,
            lifetimeHours: machine.metadata.lifetimeHours, expiresAt: machine.metadata.expiresAt,
            createdAt: machine.metadata.createdAt, disks: machine.disks, nics: machine.nics, graphics: machine.graphics,
            serialConsole: machine.hasSerialConsole, persistent: machine.persistent,
            links: Links(self: link, screenshot: link + "/screenshot", snapshots: link + "/snapshots"))
    }
}

extension NativeTemplate {
    init(_ template: Template) {
        self.init(
            name: template.name, vcpus: template.vcpus, memoryMiB: template.memoryKiB / 1024, disks: template.disks,
            cdrom: template.cdrom, folder: template.folder, icon: template.icon, osDistro: template.osDistro,
            osVersion: template.osVersion, network: template.network, graphics: template.graphics)
    }

    /// The Spec template, with `base` supplying fields this request leaves out.
    func spec(over base: Template? = nil) throws -> Template {
        let fallback = base ?? Template(name: name)
        let memoryKiB = try memoryMiB.map { try Limits.memoryKiB($0, .mib, field: "memoryMiB") }
        return Template(
            name: name, vcpus: vcpus ?? fallback.vcpus, memoryKiB: memoryKiB ?? fallback.memoryKiB,
            disks: disks ?? fallback.disks, cdrom: cdrom ?? fallback.cdrom, folder: folder ?? fallback.folder,
            icon: icon ?? fallback.icon, osDistro: osDistro ?? fallback.osDistro,
            osVersion: osVersion ?? fallback.osVersion, network: network ?? fallback.network,
            graphics: graphics ?? fallback.graphics)
    }
}

extension NativeGroup {
    init(_ group: Group, machines: Int?) {
        self.init(
            name: group.name, backends: group.backends, template: group.template, size: group.size,
            lifetimeHours: group.lifetimeHours, placement: group.placement.rawValue, aliases: group.aliases,
            machines: machines)
    }
}

extension NativeCreateMachine {
    /// The core's request, with units converted and checked.
    func coreRequest() throws -> CreateMachineRequest {
        CreateMachineRequest(
            name: name, template: template, group: group, backend: backend,
            vcpus: try vcpus.map { try Measure.bounded($0, Limits.vcpus, field: "vcpus") },
            memoryKiB: try memoryMiB.map { try Limits.memoryKiB($0, .mib, field: "memoryMiB") },
            storagePool: storagePool, diskBytes: try diskGiB.map { try Limits.diskBytes($0, .gib, field: "diskGiB") },
            network: network, tags: tags ?? [:],
            lifetimeHours: try lifetimeHours.map { try Limits.lifetime(hours: $0, field: "lifetimeHours") },
            start: start ?? false)
    }
}
