import Foundation
import Spec

/// A machine in the native API.
struct NativeMachine: Encodable {
    struct Links: Encodable {
        var `self`: String
        var screenshot: String
        var snapshots: String
    }

    var id: String
    var uuid: String
    var name: String
    var backend: String
    var state: String
    var vcpus: Int
    var memoryMiB: Int
    var group: String?
    var template: String?
    /// The user who owns the machine (absent for machines no user created).
    var owner: String?
    var tags: [String: String]
    var lifetimeHours: Double?
    var expiresAt: Date?
    var createdAt: Date?
    var disks: [MachineDisk]
    var nics: [MachineNIC]
    var graphics: [GraphicsConsole]
    var serialConsole: Bool
    var persistent: Bool
    var links: Links
}

/// A page of machines.
struct NativeMachinePage: Encodable {
    var items: [NativeMachine]
    var total: Int
    var offset: Int
    var limit: Int?
    var warnings: [String]
}

/// `POST /machines`.
struct NativeCreateMachine: Decodable {
    var name: String?
    var template: String?
    var group: String?
    var backend: String?
    var vcpus: Int?
    var memoryMiB: Int?
    var storagePool: String?
    var network: String?
    var diskGiB: Double?
    var tags: [String: String]?
    var lifetimeHours: Double?
    var start: Bool?
}

/// `PATCH /machines/:id`.
struct NativeUpdateMachine: Decodable {
    var vcpus: Int?
    var memoryMiB: Int?
    var tags: [String: String]?
    var lifetimeHours: Double?
    var group: String?
}

/// A template in the native API (memory in MiB).
struct NativeTemplate: Codable {
    var name: String
    var vcpus: Int?
    var memoryMiB: Int?
    var disks: [TemplateDisk]?
    var cdrom: String?
    var folder: [String]?
    var icon: String?
    var osDistro: String?
    var osVersion: String?
    var network: String?
    var graphics: String?
}

/// `POST /machines/:id/snapshots`.
struct NativeCreateSnapshot: Decodable {
    var name: String?
    var description: String?
    var diskOnly: Bool?
}

/// `POST /machines/:id/disks`.
struct NativeAttachDisk: Decodable {
    var pool: String
    var volume: String
    var live: Bool?
    var persistent: Bool?
    var cdrom: Bool?
}

/// `POST /storage/pools/:pool/volumes`.
struct NativeCreateVolume: Decodable {
    var name: String
    var capacityBytes: Int
    var format: String?
    var backingPool: String?
    var backingVolume: String?
}

/// `POST /storage/pools/:pool/volumes/:volume/resize`.
struct NativeResizeVolume: Decodable {
    var capacityBytes: Int
}

/// A group in the native API.
struct NativeGroup: Encodable {
    var name: String
    var backends: [String]
    var template: String?
    var size: Int
    var lifetimeHours: Double?
    var placement: String
    var aliases: [String]
    var machines: Int?
}

/// Empty `{}` bodies, accepted where a body is optional.
struct NativeEmpty: Codable {}
