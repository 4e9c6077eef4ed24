/// A virtual machine as vmgate sees it, whatever backend holds it.
public struct Machine: Sendable, Codable, Hashable, Identifiable {
    /// Unique and stable across backends: `<backend>:<name>`.
    public var id: String { MachineRef(backend: backend, name: name).id }
    /// The hypervisor's UUID.
    public var uuid: String
    /// The name, unique within its backend.
    public var name: String
    /// The backend that holds the machine.
    public var backend: String
    /// The power state.
    public var state: MachineState
    /// Number of virtual CPUs.
    public var vcpus: Int
    /// Memory in KiB.
    public var memoryKiB: Int
    /// Disks and CD-ROMs.
    public var disks: [MachineDisk]
    /// Network interfaces.
    public var nics: [MachineNIC]
    /// Graphical consoles (VNC/SPICE).
    public var graphics: [GraphicsConsole]
    /// Whether a serial console is defined.
    public var hasSerialConsole: Bool
    /// Gateway metadata the machine carries with it.
    public var metadata: MachineMetadata
    /// Whether the machine is defined persistently (survives power-off).
    public var persistent: Bool

    /// Creates a machine description.
    public init(
        uuid: String, name: String, backend: String, state: MachineState, vcpus: Int, memoryKiB: Int,
        disks: [MachineDisk] = [], nics: [MachineNIC] = [], graphics: [GraphicsConsole] = [],
        hasSerialConsole: Bool = false, metadata: MachineMetadata = MachineMetadata(), persistent: Bool = true
    ) {
        self.uuid = uuid
        self.name = name
        self.backend = backend
        self.state = state
        self.vcpus = vcpus
        self.memoryKiB = memoryKiB
        self.disks = disks
        self.nics = nics
        self.graphics = graphics
        self.hasSerialConsole = hasSerialConsole
        self.metadata = metadata
        self.persistent = persistent
    }

    /// The machine's reference.
    public var ref: MachineRef { MachineRef(backend: backend, name: name) }
    /// Memory in MiB, rounded down.
    public var memoryMiB: Int { memoryKiB / 1024 }
}

/// A backend-qualified machine address.
public struct MachineRef: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Backend name.
    public var backend: String
    /// Machine name within the backend.
    public var name: String

    /// Creates a reference.
    public init(backend: String, name: String) {
        self.backend = backend
        self.name = name
    }

    /// Parses `<backend>:<name>`; returns nil when there is no colon.
    public init?(id: String) {
        guard let colon = id.firstIndex(of: ":") else { return nil }
        let backend = String(id[..<colon])
        let name = String(id[id.index(after: colon)...])
        guard !backend.isEmpty, !name.isEmpty else { return nil }
        self.init(backend: backend, name: name)
    }

    /// `<backend>:<name>`.
    public var id: String { "\(backend):\(name)" }
    public var description: String { id }
}

/// A disk or CD-ROM attached to a machine.
public struct MachineDisk: Sendable, Codable, Hashable {
    /// Guest device name (`vda`, `sdb`, `hdc`).
    public var target: String
    /// `disk` or `cdrom`.
    public var device: String
    /// Bus (`virtio`, `sata`, `ide`).
    public var bus: String?
    /// Image format (`qcow2`, `raw`).
    public var format: String?
    /// Host path of the image, if file-backed.
    public var path: String?
    /// Storage pool and volume holding the image, if known.
    public var pool: String?
    /// Volume name inside ``pool``.
    public var volume: String?
    /// Virtual size in bytes, where known.
    public var capacityBytes: Int?
    /// Whether vmgate created this image for the machine (and so deletes it with the machine).
    public var ownedByGateway: Bool

    /// Creates a disk description.
    public init(
        target: String, device: String = "disk", bus: String? = nil, format: String? = nil, path: String? = nil,
        pool: String? = nil, volume: String? = nil, capacityBytes: Int? = nil, ownedByGateway: Bool = false
    ) {
        self.target = target
        self.device = device
        self.bus = bus
        self.format = format
        self.path = path
        self.pool = pool
        self.volume = volume
        self.capacityBytes = capacityBytes
        self.ownedByGateway = ownedByGateway
    }
}

/// A network interface of a machine.
public struct MachineNIC: Sendable, Codable, Hashable {
    /// MAC address.
    public var mac: String
    /// `network` or `bridge`.
    public var sourceType: String
    /// Network or bridge name.
    public var source: String
    /// Device model (`virtio`).
    public var model: String?
    /// Host-side device (`vnet0`) while running.
    public var hostDevice: String?
    /// IP addresses known for this interface.
    public var addresses: [String]

    /// Creates a NIC description.
    public init(
        mac: String, sourceType: String, source: String, model: String? = nil, hostDevice: String? = nil,
        addresses: [String] = []
    ) {
        self.mac = mac
        self.sourceType = sourceType
        self.source = source
        self.model = model
        self.hostDevice = hostDevice
        self.addresses = addresses
    }
}

/// A graphical console.
public struct GraphicsConsole: Sendable, Codable, Hashable {
    /// `vnc` or `spice`.
    public var type: String
    /// TCP port on the host, once known (after start with autoport).
    public var port: Int?
    /// Listen address on the host.
    public var listen: String?

    /// Creates a graphics description.
    public init(type: String, port: Int? = nil, listen: String? = nil) {
        self.type = type
        self.port = port
        self.listen = listen
    }
}
