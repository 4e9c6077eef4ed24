/// A storage pool on a backend.
public struct StoragePool: Sendable, Codable, Hashable {
    /// Pool name, unique within the backend.
    public var name: String
    /// Backend that holds the pool.
    public var backend: String
    /// Whether the pool is usable now.
    public var active: Bool
    /// Pool type (`dir`, `logical`, `netfs`, ...).
    public var type: String
    /// Target path on the host.
    public var path: String?
    /// Total capacity in bytes.
    public var capacityBytes: Int
    /// Bytes in use.
    public var allocationBytes: Int
    /// Bytes free.
    public var availableBytes: Int
    /// Number of volumes (0 when inactive).
    public var volumeCount: Int
    /// Started when the host starts.
    public var autostart: Bool

    /// Creates a pool description.
    public init(
        name: String, backend: String, active: Bool, type: String, path: String?, capacityBytes: Int,
        allocationBytes: Int, availableBytes: Int, volumeCount: Int, autostart: Bool = false
    ) {
        self.name = name
        self.backend = backend
        self.active = active
        self.type = type
        self.path = path
        self.capacityBytes = capacityBytes
        self.allocationBytes = allocationBytes
        self.availableBytes = availableBytes
        self.volumeCount = volumeCount
        self.autostart = autostart
    }
}

/// Parameters for a new storage pool.
public struct StoragePoolSpec: Sendable, Codable, Hashable {
    /// Pool name.
    public var name: String
    /// Pool type; vmgate creates `dir` pools.
    public var type: String
    /// Target directory.
    public var path: String

    /// Creates a pool spec.
    public init(name: String, type: String = "dir", path: String) {
        self.name = name
        self.type = type
        self.path = path
    }
}

/// A storage volume (disk image, ISO) in a pool.
public struct StorageVolume: Sendable, Codable, Hashable {
    /// Volume name, unique within the pool.
    public var name: String
    /// Pool holding the volume.
    public var pool: String
    /// Backend holding the pool.
    public var backend: String
    /// Host path or key.
    public var path: String
    /// `file`, `block`, `dir`, ...
    public var type: String
    /// `qcow2`, `raw`, `iso`, ...
    public var format: String
    /// Virtual size in bytes.
    public var capacityBytes: Int
    /// Bytes actually allocated.
    public var allocationBytes: Int
    /// Path of the backing image for overlays.
    public var backingPath: String?

    /// Creates a volume description.
    public init(
        name: String, pool: String, backend: String, path: String, type: String = "file", format: String,
        capacityBytes: Int, allocationBytes: Int, backingPath: String? = nil
    ) {
        self.name = name
        self.pool = pool
        self.backend = backend
        self.path = path
        self.type = type
        self.format = format
        self.capacityBytes = capacityBytes
        self.allocationBytes = allocationBytes
        self.backingPath = backingPath
    }
}

/// Parameters for a new volume.
public struct VolumeSpec: Sendable, Codable, Hashable {
    /// Volume name.
    public var name: String
    /// Virtual size in bytes.
    public var capacityBytes: Int
    /// Image format (`qcow2`, `raw`).
    public var format: String
    /// Backing volume for a copy-on-write overlay: (pool, volume).
    public var backingPool: String?
    /// Backing volume name in ``backingPool``.
    public var backingVolume: String?

    /// Creates a volume spec.
    public init(
        name: String, capacityBytes: Int, format: String = "qcow2", backingPool: String? = nil,
        backingVolume: String? = nil
    ) {
        self.name = name
        self.capacityBytes = capacityBytes
        self.format = format
        self.backingPool = backingPool
        self.backingVolume = backingVolume
    }
}

/// A volume to attach to a machine.
public struct DiskAttachment: Sendable, Codable, Hashable {
    /// Pool of the volume.
    public var pool: String
    /// Volume name.
    public var volume: String
    /// Apply to the running machine.
    public var live: Bool
    /// Keep across power cycles.
    public var persistent: Bool
    /// Attach as CD-ROM instead of disk.
    public var cdrom: Bool

    /// Creates an attachment request.
    public init(pool: String, volume: String, live: Bool = true, persistent: Bool = true, cdrom: Bool = false) {
        self.pool = pool
        self.volume = volume
        self.live = live
        self.persistent = persistent
        self.cdrom = cdrom
    }
}
