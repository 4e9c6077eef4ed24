/// A recipe for new machines.
public struct Template: Sendable, Codable, Hashable {
    /// Template name.
    public var name: String
    /// Virtual CPUs.
    public var vcpus: Int
    /// Memory in KiB.
    public var memoryKiB: Int
    /// Disks, in index order.
    public var disks: [TemplateDisk]
    /// ISO volume name or URI for a CD-ROM.
    public var cdrom: String?
    /// UI folder path components.
    public var folder: [String]
    /// URI of an icon.
    public var icon: String?
    /// OS distribution.
    public var osDistro: String?
    /// OS version.
    public var osVersion: String?
    /// Network new machines join (`network` type); nil means the backend default.
    public var network: String?
    /// Graphics type (`vnc`) or nil.
    public var graphics: String?

    /// Creates a template.
    public init(
        name: String, vcpus: Int = 1, memoryKiB: Int = 131_072, disks: [TemplateDisk] = [], cdrom: String? = nil,
        folder: [String] = [], icon: String? = nil, osDistro: String? = nil, osVersion: String? = nil,
        network: String? = nil, graphics: String? = "vnc"
    ) {
        self.name = name
        self.vcpus = vcpus
        self.memoryKiB = memoryKiB
        self.disks = disks
        self.cdrom = cdrom
        self.folder = folder
        self.icon = icon
        self.osDistro = osDistro
        self.osVersion = osVersion
        self.network = network
        self.graphics = graphics
    }
}

/// A disk of a template: either a base volume to clone as an overlay, or a blank size.
public struct TemplateDisk: Sendable, Codable, Hashable {
    /// Device index.
    public var index: Int
    /// Size in GiB (blank disk, or overlay size when larger than the base).
    public var sizeGiB: Double?
    /// Pool of the base volume.
    public var pool: String?
    /// Base volume cloned (as a qcow2 overlay) for each machine.
    public var volume: String?

    /// Creates a template disk.
    public init(index: Int, sizeGiB: Double? = nil, pool: String? = nil, volume: String? = nil) {
        self.index = index
        self.sizeGiB = sizeGiB
        self.pool = pool
        self.volume = volume
    }
}
