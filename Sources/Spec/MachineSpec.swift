/// Everything a backend needs to create a machine; the gateway core builds it from a
/// template and the dialect's request.
public struct MachineSpec: Sendable, Codable, Hashable {
    /// Name, already validated by ``NameRules``.
    public var name: String
    /// Virtual CPUs.
    public var vcpus: Int
    /// Memory in KiB.
    public var memoryKiB: Int
    /// Disks to create or attach, in device order.
    public var disks: [DiskSpec]
    /// Network interfaces.
    public var nics: [NICSpec]
    /// Graphical console type (`vnc`), or nil for none.
    public var graphics: String?
    /// Whether to add a serial console.
    public var serialConsole: Bool
    /// Gateway metadata to store with the machine.
    public var metadata: MachineMetadata
    /// Start the machine once defined.
    public var start: Bool

    /// Creates a machine spec.
    public init(
        name: String, vcpus: Int, memoryKiB: Int, disks: [DiskSpec] = [], nics: [NICSpec] = [],
        graphics: String? = "vnc", serialConsole: Bool = true, metadata: MachineMetadata = MachineMetadata(),
        start: Bool = false
    ) {
        self.name = name
        self.vcpus = vcpus
        self.memoryKiB = memoryKiB
        self.disks = disks
        self.nics = nics
        self.graphics = graphics
        self.serialConsole = serialConsole
        self.metadata = metadata
        self.start = start
    }
}

/// One disk of a new machine.
public struct DiskSpec: Sendable, Codable, Hashable {
    /// Where the disk's contents come from.
    public enum Source: Sendable, Codable, Hashable {
        /// A new qcow2 overlay whose backing file is `volume` in `pool` (a template's base image).
        case overlay(pool: String, volume: String)
        /// A new empty volume of this many bytes.
        case blank(capacityBytes: Int)
        /// An existing volume, used as is (not deleted with the machine).
        case existing(pool: String, volume: String)
        /// A CD-ROM from a volume (ISO).
        case cdrom(pool: String, volume: String)
    }

    /// The disk's contents.
    public var source: Source
    /// Pool in which new volumes are created; nil means the backend's default pool.
    public var pool: String?
    /// Size of a new overlay in bytes; nil keeps the backing image's size.
    public var capacityBytes: Int?

    /// Creates a disk spec.
    public init(source: Source, pool: String? = nil, capacityBytes: Int? = nil) {
        self.source = source
        self.pool = pool
        self.capacityBytes = capacityBytes
    }
}

/// One network interface of a new machine.
public struct NICSpec: Sendable, Codable, Hashable {
    /// `network` or `bridge`.
    public var sourceType: String
    /// Network or bridge name.
    public var source: String
    /// Fixed MAC address, or nil to let the backend choose.
    public var mac: String?

    /// Creates a NIC spec.
    public init(sourceType: String = "network", source: String, mac: String? = nil) {
        self.sourceType = sourceType
        self.source = source
        self.mac = mac
    }
}

/// Changes to an existing machine.
public struct MachineUpdate: Sendable, Codable, Hashable {
    /// New vCPU count (machine must be shut off).
    public var vcpus: Int?
    /// New memory in KiB (machine must be shut off).
    public var memoryKiB: Int?
    /// Replacement metadata; nil leaves it untouched.
    public var metadata: MachineMetadata?

    /// Creates an update.
    public init(vcpus: Int? = nil, memoryKiB: Int? = nil, metadata: MachineMetadata? = nil) {
        self.vcpus = vcpus
        self.memoryKiB = memoryKiB
        self.metadata = metadata
    }

    /// Whether the update changes the machine's hardware.
    public var touchesHardware: Bool { vcpus != nil || memoryKiB != nil }
}
