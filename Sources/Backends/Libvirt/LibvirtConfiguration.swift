/// How a ``LibvirtBackend`` reaches its host and shapes new machines.
public struct LibvirtConfiguration: Sendable {
    /// Connection URI (`test:///default`, `qemu:///system`, `qemu+ssh://host/system`).
    public var uri: String
    /// Size of the dedicated thread pool that runs blocking libvirt calls.
    public var threads: Int
    /// Seconds between keep-alive probes (remote connections only).
    public var keepAliveInterval: Int32
    /// Unanswered keep-alive probes before the connection is considered dead.
    public var keepAliveCount: UInt32
    /// Pool for new volumes when a disk spec names none; nil means the first active pool.
    public var defaultPool: String?
    /// Default network; used by the gateway only, ignored by the backend.
    public var defaultNetwork: String?
    /// Overrides `<domain type=...>`; nil means `test` for the Test driver and `qemu` (TCG) otherwise.
    public var domainType: String?
    /// Optional `<emulator>` path for new machines.
    public var emulator: String?
    /// Seconds between full safety-net resyncs of the machine cache.
    public var resyncInterval: Double

    /// Creates a configuration; only `uri` is required.
    public init(
        uri: String, threads: Int = 4, keepAliveInterval: Int32 = 5, keepAliveCount: UInt32 = 3,
        defaultPool: String? = nil, defaultNetwork: String? = nil, domainType: String? = nil,
        emulator: String? = nil, resyncInterval: Double = 30
    ) {
        self.uri = uri
        self.threads = threads
        self.keepAliveInterval = keepAliveInterval
        self.keepAliveCount = keepAliveCount
        self.defaultPool = defaultPool
        self.defaultNetwork = defaultNetwork
        self.domainType = domainType
        self.emulator = emulator
        self.resyncInterval = resyncInterval
    }

    /// The URI with any password removed, for logs and APIs.
    var redactedURI: String {
        guard uri.contains("@"), var components = URLComponentsLite(uri) else { return uri }
        components.password = nil
        return components.string
    }
}

/// Just enough URI handling to drop a password (`scheme://user:pass@host/...`).
struct URLComponentsLite {
    var prefix: String
    var user: String
    var password: String?
    var rest: String

    init?(_ uri: String) {
        guard let schemeEnd = uri.range(of: "://"), let at = uri[schemeEnd.upperBound...].firstIndex(of: "@")
        else { return nil }
        prefix = String(uri[..<schemeEnd.upperBound])
        let userInfo = uri[schemeEnd.upperBound..<at]
        if let colon = userInfo.firstIndex(of: ":") {
            user = String(userInfo[..<colon])
            password = String(userInfo[userInfo.index(after: colon)...])
        } else {
            user = String(userInfo)
        }
        rest = String(uri[uri.index(after: at)...])
    }

    var string: String {
        prefix + user + (password.map { ":" + $0 } ?? "") + "@" + rest
    }
}
