public import Spec

/// The gateway's configuration, as read from YAML (see `examples/`).
public struct GatewayConfiguration: Sendable, Codable, Equatable {
    /// Where the HTTP server listens.
    public struct Listen: Sendable, Codable, Equatable {
        public var host: String = "127.0.0.1"
        public var port: Int = 8080
        public init(host: String = "127.0.0.1", port: Int = 8080) {
            self.host = host
            self.port = port
        }
    }

    /// The persistent store.
    public struct StoreSettings: Sendable, Codable, Equatable {
        /// `sqlite` (the only kind so far).
        public var type: String = "sqlite"
        /// Database file, or `:memory:`.
        public var path: String = "./data/vmgate.sqlite"
        public init(type: String = "sqlite", path: String = "./data/vmgate.sqlite") {
            self.type = type
            self.path = path
        }
    }

    /// A volume the gateway makes sure exists at start-up (a template's base image).
    public struct SeedVolume: Sendable, Codable, Equatable {
        public var pool: String
        public var name: String
        public var capacityMiB: Int = 64
        public var format: String = "qcow2"
    }

    /// One backend.
    public struct BackendSettings: Sendable, Codable, Equatable {
        /// Unique name; prefix of machine ids.
        public var name: String
        /// `libvirt` or `proxy` (another vmgate).
        public var type: String = "libvirt"
        /// Connection URI for libvirt (`qemu:///system`, `qemu+ssh://user@host:22/system`).
        public var uri: String?
        /// libvirt over SSH: private key file (the URI's `keyfile=`).
        public var sshKey: String?
        /// libvirt over SSH: a known_hosts file (`known_hosts=`, honoured by the `+libssh`/`+libssh2`
        /// transports; `+ssh` runs the system ssh client, which reads the user's known_hosts), or
        /// `ignore` to skip host key checks (`no_verify=1`, every SSH transport).
        public var knownHosts: String?
        /// Proxy: the upstream vmgate's native API base URL (`https://gw2:8080/api/v1`).
        public var url: String?
        /// Proxy: the upstream backend this backend represents.
        public var upstreamBackend: String?
        /// Proxy: bearer token sent to the upstream.
        public var token: String?
        /// Proxy: HTTP basic auth user and password.
        public var username: String?
        public var password: String?
        /// Proxy: CA bundle, client certificate and key (PEM files) for TLS.
        public var caFile: String?
        public var clientCertificate: String?
        public var clientKey: String?
        /// Proxy: skip TLS verification (lab use only).
        public var insecure: Bool?
        /// Proxy: connect and whole-request timeouts in seconds.
        public var connectTimeoutSeconds: Double?
        public var timeoutSeconds: Double?
        /// Proxy: seconds between polls of the upstream list for events (0 disables).
        public var pollIntervalSeconds: Double?
        /// Threads for blocking calls.
        public var threads: Int?
        /// Keepalive interval in seconds and missed-reply count.
        public var keepaliveInterval: Int?
        public var keepaliveCount: Int?
        /// Pool for new volumes.
        public var defaultPool: String?
        /// Network (or bridge) new machines join; none when absent.
        public var network: String?
        /// `network` or `bridge`.
        public var networkType: String?
        /// Blank disk size for template-less machines, in GiB.
        public var blankDiskGiB: Double?
        /// Domain type override (`qemu`, `kvm`, `test`).
        public var domainType: String?
        /// Volumes to create at start-up when missing.
        public var seedVolumes: [SeedVolume]?
        /// Directories storage pools may be created in (default: libvirt's images directory).
        public var storageRoots: [String]?
    }

    /// One group.
    public struct GroupSettings: Sendable, Codable, Equatable {
        public var name: String
        public var backends: [String]?
        public var template: String?
        public var size: Int?
        public var lifetimeHours: Double?
        public var placement: String?
        public var aliases: [String]?
        public var options: [String: String]?

        /// Creates a group entry.
        public init(
            name: String, backends: [String]? = nil, template: String? = nil, size: Int? = nil,
            lifetimeHours: Double? = nil, placement: String? = nil, aliases: [String]? = nil,
            options: [String: String]? = nil
        ) {
            self.name = name
            self.backends = backends
            self.template = template
            self.size = size
            self.lifetimeHours = lifetimeHours
            self.placement = placement
            self.aliases = aliases
            self.options = options
        }
    }

    /// One template (memory in MiB).
    public struct TemplateSettings: Sendable, Codable, Equatable {
        public struct Disk: Sendable, Codable, Equatable {
            public var index: Int?
            public var sizeGiB: Double?
            public var pool: String?
            public var volume: String?
        }
        public var name: String
        public var vcpus: Int?
        public var memoryMiB: Int?
        public var disks: [Disk]?
        public var cdrom: String?
        public var osDistro: String?
        public var osVersion: String?
        public var network: String?
        public var graphics: String?
        public var icon: String?
        public var folder: [String]?
    }

    /// Where a dialect is mounted.
    public struct DialectMount: Sendable, Codable, Equatable {
        /// Dialect name (`native`).
        public var name: String
        /// Path prefix; `/` mounts at the root.
        public var prefix: String?
        /// A port of its own instead of the main listener.
        public var port: Int?
        /// With a port of its own: the address it listens on (default: `listen.host`), so one
        /// dialect can be exposed while the others stay on loopback.
        public var host: String?
        /// Set false to leave the dialect out.
        public var enabled: Bool?
        /// Dialect options.
        public var options: [String: String]?

        /// Creates a mount.
        public init(
            name: String, prefix: String? = nil, port: Int? = nil, enabled: Bool? = nil,
            options: [String: String]? = nil
        ) {
            self.name = name
            self.prefix = prefix
            self.port = port
            self.enabled = enabled
            self.options = options
        }
    }

    public var listen = Listen()
    public var store = StoreSettings()
    public var backends: [BackendSettings] = []
    public var groups: [GroupSettings] = []
    public var templates: [TemplateSettings] = []
    public var dialects: [DialectMount] = []
    /// Group of machines created without one.
    public var defaultGroup: String?
    /// Time limit of one backend call.
    public var callTimeoutSeconds: Double?
    /// Seconds an HTTP connection may stay idle before the gateway closes it (default 60).
    public var idleTimeoutSeconds: Double?
    /// `trace` … `critical`.
    public var logLevel: String?
    /// Adds `/_bench/constant` for the benchmark script.
    public var benchmarkRoutes: Bool?
    /// Where images may be imported from, and the limits of imports and uploads.
    public var imports: ImportSettings?
    /// `required` or `none` (see ``AccessSettings``); the default is `required` when any user is
    /// configured or any listener is not loopback, `none` otherwise.
    public var auth: String?
    /// The gateway's users.
    public var users: [UserSettings] = []
    /// Quotas of groups, by group name.
    public var groupQuotas: [String: Quota] = [:]
    /// Host names (besides loopback names and the listen address) the gateway answers to.
    public var allowedHosts: [String]?
    /// Origins besides the gateway's own that may send state-changing requests (a web UI).
    public var allowedOrigins: [String]?

    public init() {}
}
