import Foundation
import GatewayCore
import Libvirt
import Spec

extension GatewayConfiguration.BackendSettings {
    var libvirtConfiguration: LibvirtConfiguration {
        LibvirtConfiguration(
            uri: libvirtURI, threads: threads ?? 4, keepAliveInterval: Int32(clamping: keepaliveInterval ?? 5),
            keepAliveCount: UInt32(clamping: keepaliveCount ?? 3), defaultPool: defaultPool, defaultNetwork: network,
            domainType: domainType)
    }

    var defaults: BackendDefaults {
        BackendDefaults(
            network: network, networkType: networkType ?? "network", pool: defaultPool,
            // Checked by ConfigurationLoader.validate; the fallback only covers unchecked test configurations.
            blankDiskBytes: (try? Limits.diskBytes(blankDiskGiB ?? 1, .gib, field: "blankDiskGiB")) ?? 1 << 30,
            storageRoots: StorageRoots(storageRoots))
    }
}

extension GatewayConfiguration.GroupSettings {
    func group(defaultBackends: [String]) -> Group {
        Group(
            name: name, backends: backends ?? Array(defaultBackends.prefix(1)), template: template, size: size ?? 0,
            lifetimeHours: lifetimeHours,
            placement: placement.flatMap(Group.Placement.init(rawValue:)) ?? .mostFreeMemory,
            aliases: aliases ?? [], options: options ?? [:])
    }
}

extension GatewayConfiguration.TemplateSettings {
    var template: Template {
        Template(
            name: name, vcpus: vcpus ?? 1,
            memoryKiB: (try? Limits.memoryKiB(memoryMiB ?? 128, .mib, field: "memoryMiB")) ?? 128 * 1024,
            disks: (disks ?? []).enumerated().map { offset, disk in
                TemplateDisk(index: disk.index ?? offset, sizeGiB: disk.sizeGiB, pool: disk.pool, volume: disk.volume)
            },
            cdrom: cdrom, folder: folder ?? [], icon: icon, osDistro: osDistro, osVersion: osVersion, network: network,
            graphics: graphics ?? "vnc")
    }
}

extension GatewayConfiguration {
    /// The directory of the SQLite store (absolute), nil for an in-memory store.
    var dataDirectory: String? {
        guard store.path != ":memory:" else { return nil }
        let absolute =
            store.path.hasPrefix("/")
            ? store.path : FileManager.default.currentDirectoryPath + "/" + store.path
        return HostPath.normalize((absolute as NSString).deletingLastPathComponent)
    }
}
