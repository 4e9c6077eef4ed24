import Foundation
import Spec

/// Graphics of a VM: `{"type": "vnc", "listen": "127.0.0.1", "port": 5900}`; absent values are `null`, as in Kimchi.
struct KimchiGraphics: Encodable {
    var type: String?
    var listen: String?
    var port: Int?

    private enum Keys: String, CodingKey { case type, listen, port }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(type, forKey: .type)
        try container.encode(listen, forKey: .listen)
        try container.encode(port, forKey: .port)
    }
}

/// `stats` of a VM: utilization and throughput (KiB/s) between two samples of libvirt's counters.
struct KimchiStats: Encodable {
    var cpu_utilization: Double
    var net_throughput: Double
    var net_throughput_peak: Double
    var io_throughput: Double
    var io_throughput_peak: Double
}

/// The full VM resource (`GET /vms/:name`).
struct KimchiVM: Encodable {
    var name: String
    var uuid: String
    var state: String
    var stats: KimchiStats
    var memory: Int
    var cpus: Int
    var screenshot: String?
    var icon: String?
    var graphics: KimchiGraphics
    var persistent: Bool
    var template: String?
    var group: String?
    var backend: String
    var href: String
    var actions: [String]

    private enum Keys: String, CodingKey {
        case name, uuid, state, stats, memory, cpus, screenshot, icon, graphics, persistent, template, group, backend
        case href, actions
    }

    /// Like the synthesized encoding, but `screenshot`, `icon`, `template` and `group` are `null` when absent, as in Kimchi.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(name, forKey: .name)
        try container.encode(uuid, forKey: .uuid)
        try container.encode(state, forKey: .state)
        try container.encode(stats, forKey: .stats)
        try container.encode(memory, forKey: .memory)
        try container.encode(cpus, forKey: .cpus)
        try container.encode(screenshot, forKey: .screenshot)
        try container.encode(icon, forKey: .icon)
        try container.encode(graphics, forKey: .graphics)
        try container.encode(persistent, forKey: .persistent)
        try container.encode(template, forKey: .template)
        try container.encode(group, forKey: .group)
        try container.encode(backend, forKey: .backend)
        try container.encode(href, forKey: .href)
        try container.encode(actions, forKey: .actions)
    }
}

/// A VM in the collection (`GET /vms`): everything but the live statistics, with a link.
struct KimchiVMSummary: Encodable {
    var name: String
    var uuid: String
    var state: String
    var memory: Int
    var cpus: Int
    var icon: String?
    var graphics: KimchiGraphics
    var persistent: Bool
    var template: String?
    var backend: String
    var href: String
}

/// `POST /vms`.
struct KimchiCreateVM: Decodable {
    var name: String?
    var template: String
    var storagepool: String?
}

/// `PUT /vms/:name`: hardware of a shut-off VM.
struct KimchiUpdateVM: Decodable {
    var name: String?
    var cpus: Int?
    var memory: Int?
}

/// A template disk: index, size in GB, or a volume with the initial contents.
struct KimchiTemplateDisk: Codable {
    var index: Int?
    var size: Double?
    var volume: String?
    var pool: String?
}

/// A template, in and out (memory in MB).
struct KimchiTemplate: Encodable {
    var name: String?
    var folder: [String]?
    var icon: String?
    var os_distro: String?
    var os_version: String?
    var cpus: Int?
    var memory: Int?
    var cdrom: String?
    var disks: [KimchiTemplateDisk]?
    var storagepool: String?
    var networks: [String]?
    var graphics: KimchiGraphics?
    var href: String?
}

/// Graphics in a template request (`{"type": "vnc"}`).
struct KimchiTemplateGraphicsInput: Decodable {
    var type: String?
}

/// A template in a `POST`/`PUT` body.
struct KimchiTemplateInput: Decodable {
    var name: String?
    var folder: [String]?
    var icon: String?
    var os_distro: String?
    var os_version: String?
    var cpus: Int?
    var memory: Int?
    var cdrom: String?
    var disks: [KimchiTemplateDisk]?
    var storagepool: String?
    var networks: [String]?
    var graphics: KimchiTemplateGraphicsInput?
}

/// A storage pool (sizes in MB).
struct KimchiPool: Encodable {
    var name: String
    var state: String
    var path: String?
    var type: String
    var capacity: Int
    var allocated: Int
    var available: Int
    var nr_volumes: Int
    var autostart: Bool
    var href: String
}

/// `POST /storagepools`.
struct KimchiCreatePool: Decodable {
    var name: String
    var path: String?
    var type: String
}

/// A storage volume (sizes in MB).
struct KimchiVolume: Encodable {
    var name: String
    var pool: String
    var type: String
    var capacity: Int
    var allocation: Int
    var format: String
    var path: String
    var used_by: [String]
    var os_distro: String?
    var os_version: String?
    var bootable: Bool?
    var href: String
}

/// `POST /storagepools/:pool/storagevolumes`.
struct KimchiCreateVolume: Decodable {
    var name: String
    var capacity: Int
    var format: String?
    var type: String?
}

/// `POST .../storagevolumes/:name/resize` (size in MB).
struct KimchiResizeVolume: Decodable {
    var size: Int
}

/// A task.
struct KimchiTask: Encodable {
    var id: String
    var status: String
    var message: String
    var target: String
    var target_uri: String
}

/// `GET /config`.
struct KimchiConfig: Encodable {
    var http_port: Int
    var display_proxy_port: Int?
    var version: String
}

/// `GET /config/capabilities`.
struct KimchiCapabilities: Encodable {
    var stream_protocols: [String]
    var qemu_stream: Bool
    var screenshot: Bool?
    var backends: [String: [String]]
}
