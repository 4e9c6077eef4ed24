import Foundation
import Spec

/// A virtual machine as the virtualization-server API shows it (memory in KiB).
struct VirtualizationServerVM: Encodable {
    var uuid: String
    var state: String
    var cpu_count: Int
    var memory_size: Int
    var nics: [VirtualizationServerNIC]
    var disks: [VirtualizationServerDisk]
}

/// A network interface: a stable UUID, its MAC and the bridge or network it is attached to.
struct VirtualizationServerNIC: Encodable {
    var uuid: String
    var mac_address: String
    var source: String
}

/// A disk: a stable UUID and its virtual size in KiB (null when the backend cannot tell).
struct VirtualizationServerDisk: Encodable {
    var uuid: String
    var size: Int?
}

/// `POST /virtual_machines`.
struct VirtualizationServerCreate: Decodable {
    var cpu_count: Int
    var memory_size: Int
    var name: String?
}

/// `PATCH /virtual_machines/:uuid`.
struct VirtualizationServerUpdate: Decodable {
    var state: String?
    var cpu_count: Int?
    var memory_size: Int?
}
