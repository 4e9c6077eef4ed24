public import Spec

/// Per-backend defaults the core applies when a request or template leaves them open.
public struct BackendDefaults: Sendable, Hashable {
    /// Network new machines join when the template names none; nil means no NIC.
    public var network: String?
    /// `network` or `bridge`.
    public var networkType: String
    /// Pool for new volumes when nothing else says.
    public var pool: String?
    /// Size of the blank disk of machines created without a template, in bytes.
    public var blankDiskBytes: Int
    /// Directories new storage pools may be created in.
    public var storageRoots: StorageRoots

    /// Creates defaults.
    public init(
        network: String? = nil, networkType: String = "network", pool: String? = nil, blankDiskBytes: Int = 1 << 30,
        storageRoots: StorageRoots = StorageRoots()
    ) {
        self.network = network
        self.networkType = networkType
        self.pool = pool
        self.blankDiskBytes = blankDiskBytes
        self.storageRoots = storageRoots
    }
}

/// The backends of a gateway, by name, in configuration order.
public struct BackendRegistry: Sendable {
    /// One registered backend with its defaults.
    public struct Entry: Sendable {
        /// The backend.
        public var backend: any Backend
        /// Its defaults.
        public var defaults: BackendDefaults
    }

    private var entries: [String: Entry] = [:]
    /// Backend names in registration order.
    public private(set) var names: [String] = []

    /// An empty registry.
    public init() {}

    /// Registers a backend; a second backend with the same name replaces the first.
    public mutating func use(_ backend: any Backend, defaults: BackendDefaults = BackendDefaults()) {
        if entries[backend.name] == nil { names.append(backend.name) }
        entries[backend.name] = Entry(backend: backend, defaults: defaults)
    }

    /// All backends, in order.
    public var all: [any Backend] { names.compactMap { entries[$0]?.backend } }

    /// The backend called `name`, or `notFound`.
    public func backend(_ name: String) throws -> any Backend {
        guard let entry = entries[name] else { throw SpecError.notFound("no backend named '\(name)'") }
        return entry.backend
    }

    /// The defaults of backend `name`.
    public func defaults(_ name: String) -> BackendDefaults {
        entries[name]?.defaults ?? BackendDefaults()
    }
}
