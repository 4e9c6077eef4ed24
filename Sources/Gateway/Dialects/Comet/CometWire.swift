import Foundation
import Spec

/// A cluster: `GET /cluster/:name`.
struct CometCluster: Encodable {
    var name: String
    var template: String?
    var size: Int
    var backends: [String]
    /// `running` (all VMs run), `shutoff` (none does), `partial` or `empty`.
    var state: String
    /// Number of VMs per state.
    var counts: [String: Int]
    var vms: [CometVMSummary]
    var href: String
    var actions: [String]
}

/// One VM in a list: `GET /cluster/:name/vms`.
struct CometVMSummary: Encodable {
    var name: String
    var state: String
    var href: String
}

/// A VM: `GET /cluster/:name/vms/:vm`.
struct CometVM: Encodable {
    var name: String
    var cluster: String
    var state: String
    /// Memory in MB.
    var memory: Int
    var cpus: Int
    /// Path of a PNG of the display, or null when the VM is not running or has no screenshots.
    var screenshot: CometNullable<String>
    var uuid: String
    var host: String
    var template: String?
    /// Whether the VM is released from its host (disks kept in storage).
    var released: Bool
    var console: String
    var storages: String
    var snapshots: String
    var href: String
    var actions: [String]
}

/// The outcome of a cluster action for one VM.
struct CometVMResult: Encodable {
    var name: String
    var state: String
}

/// A VM a cluster action failed on.
struct CometVMFailure: Codable, Sendable {
    var name: String
    var code: Int
    var reason: String
}

/// `POST /cluster/:name/start|stop`.
struct CometClusterActionResult: Encodable {
    var name: String
    var action: String
    var vms: [CometVMResult]
    var failures: [CometVMFailure]
    var seconds: Double
}

/// A disk of a VM: `GET /cluster/:name/vms/:vm/storages/:zvol`.
struct CometStorage: Encodable {
    /// Volume name (the resource id).
    var zvol: String
    /// Guest device name (`vdb`), or null when unmapped.
    var dev: CometNullable<String>
    var pool: String?
    var path: String?
    var type: String
    /// `mapped` or `unmapped`.
    var state: String
    var capacity: Int?
    var href: String
}

/// A snapshot: `GET /cluster/:name/vms/:vm/snapshots/:snapshot`.
struct CometSnapshot: Encodable {
    var name: String
    /// Seconds since the epoch.
    var created: Int
    /// Parent snapshot name, or "".
    var parent: String
    var state: String
    var current: Bool
    var diskOnly: Bool
    var href: String
}

/// A storage pool (sizes in bytes).
struct CometStoragePool: Encodable {
    var name: String
    var state: String
    var path: String?
    var type: String
    var capacity: Int
    var allocated: Int
    var available: Int
    var volumes: Int
    var host: String
    var href: String
}

/// A storage volume (sizes in bytes).
struct CometStorageVolume: Encodable {
    var name: String
    /// `mapped` (attached to a VM) or `unmapped`.
    var state: String
    /// The host (backend) where the image is attached, or "".
    var host: String
    /// VMs using it (`backend:name`).
    var vms: [String]
    var zpool: String
    /// iSCSI target; vmgate pools have none, so "".
    var target: String
    var capacity: Int
    var allocation: Int
    var format: String
    var path: String
    var href: String
}

/// A task (Kimchi shape).
struct CometTask: Encodable {
    var id: String
    var status: String
    var message: String
    var target: String
    var progress: Int
}

/// A storage server (a backend that offers storage).
struct CometStorageServer: Encodable {
    var host: String
    var endpoint: String
    var kind: String
    var healthy: Bool
    var zpools: String
    var href: String
}

/// A pool of a storage server.
struct CometZpool: Encodable {
    var host: String
    var zpool: String
    var state: String
    var capacity: Int
    var available: Int
}

// MARK: Requests

/// `POST /cluster`.
struct CometCreateCluster: Decodable {
    var name: String
    var template: String?
    var size: Int?
    var backend: String?
    var backends: [String]?
}

/// `PUT /cluster/:name`.
struct CometUpdateCluster: Decodable {
    var name: String?
    var template: String?
    var size: Int?
    var backends: [String]?
}

/// `DELETE /cluster/:name` (optional body).
struct CometDeleteOptions: Decodable {
    var force: Bool?
}

/// `POST /cluster/:name/vms`.
struct CometCreateVM: Decodable {
    var name: String?
    var template: String?
    var cpus: Int?
    /// MB.
    var memory: Int?
    var backend: String?
}

/// `PUT /cluster/:name/vms/:vm`.
struct CometUpdateVM: Decodable {
    var name: String?
    var cpus: Int?
    /// MB.
    var memory: Int?
}

/// `POST .../stop` and cluster `stop`: seconds to wait for the graceful shutdown before
/// powering off.
struct CometStopOptions: Decodable {
    var timeout: Double?
}

/// `POST .../storages`.
struct CometAttachStorage: Decodable {
    var pool: String
    var vol: String
    var live: Bool?
    var persistent: Bool?
}

/// `POST .../snapshots`.
struct CometCreateSnapshot: Decodable {
    var name: String?
    var description: String?
}

/// `POST /storagepools/:pool/storagevolumes`: exactly one of `capacity` (GB) and `url`.
struct CometCreateVolume: Decodable {
    var name: String
    var capacity: Double?
    var url: String?
    var format: String?
}

/// Empty body.
struct CometEmpty: Decodable {}

/// An optional that encodes as JSON `null` instead of being left out (Kimchi clients expect
/// `"screenshot": null`).
struct CometNullable<Value: Encodable>: Encodable {
    var value: Value?

    init(_ value: Value?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}
