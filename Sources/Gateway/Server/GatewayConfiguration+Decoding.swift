import Spec

// Decoding with defaults: a key left out of the YAML file keeps the value the type declares.

extension GatewayConfiguration {
    private enum Keys: String, CodingKey {
        case listen, store, backends, groups, templates, dialects, defaultGroup, callTimeoutSeconds,
            idleTimeoutSeconds, logLevel, benchmarkRoutes, imports, auth, users, groupQuotas, allowedHosts,
            allowedOrigins
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: Keys.self)
        listen = try c.decodeIfPresent(Listen.self, forKey: .listen) ?? listen
        store = try c.decodeIfPresent(StoreSettings.self, forKey: .store) ?? store
        backends = try c.decodeIfPresent([BackendSettings].self, forKey: .backends) ?? []
        groups = try c.decodeIfPresent([GroupSettings].self, forKey: .groups) ?? []
        templates = try c.decodeIfPresent([TemplateSettings].self, forKey: .templates) ?? []
        dialects = try c.decodeIfPresent([DialectMount].self, forKey: .dialects) ?? []
        defaultGroup = try c.decodeIfPresent(String.self, forKey: .defaultGroup)
        callTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .callTimeoutSeconds)
        idleTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .idleTimeoutSeconds)
        logLevel = try c.decodeIfPresent(String.self, forKey: .logLevel)
        benchmarkRoutes = try c.decodeIfPresent(Bool.self, forKey: .benchmarkRoutes)
        imports = try c.decodeIfPresent(ImportSettings.self, forKey: .imports)
        auth = try c.decodeIfPresent(String.self, forKey: .auth)
        users = try c.decodeIfPresent([UserSettings].self, forKey: .users) ?? []
        groupQuotas = try c.decodeIfPresent([String: Quota].self, forKey: .groupQuotas) ?? [:]
        allowedHosts = try c.decodeIfPresent([String].self, forKey: .allowedHosts)
        allowedOrigins = try c.decodeIfPresent([String].self, forKey: .allowedOrigins)
    }
}

extension GatewayConfiguration.Listen {
    private enum Keys: String, CodingKey { case host, port }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: Keys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
    }
}

extension GatewayConfiguration.StoreSettings {
    private enum Keys: String, CodingKey { case type, path }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: Keys.self)
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? type
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? path
    }
}

extension GatewayConfiguration.SeedVolume {
    private enum Keys: String, CodingKey { case pool, name, capacityMiB, format }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        pool = try c.decode(String.self, forKey: .pool)
        name = try c.decode(String.self, forKey: .name)
        capacityMiB = try c.decodeIfPresent(Int.self, forKey: .capacityMiB) ?? 64
        format = try c.decodeIfPresent(String.self, forKey: .format) ?? "qcow2"
    }
}

extension GatewayConfiguration.BackendSettings {
    private enum Keys: String, CodingKey {
        case name, type, uri, threads, keepaliveInterval, keepaliveCount, defaultPool, network, networkType,
            blankDiskGiB, domainType, seedVolumes, sshKey, knownHosts, url, upstreamBackend, token, username, password,
            caFile, clientCertificate, clientKey, insecure, connectTimeoutSeconds, timeoutSeconds, pollIntervalSeconds,
            storageRoots
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? "libvirt"
        uri = try c.decodeIfPresent(String.self, forKey: .uri)
        threads = try c.decodeIfPresent(Int.self, forKey: .threads)
        keepaliveInterval = try c.decodeIfPresent(Int.self, forKey: .keepaliveInterval)
        keepaliveCount = try c.decodeIfPresent(Int.self, forKey: .keepaliveCount)
        defaultPool = try c.decodeIfPresent(String.self, forKey: .defaultPool)
        network = try c.decodeIfPresent(String.self, forKey: .network)
        networkType = try c.decodeIfPresent(String.self, forKey: .networkType)
        blankDiskGiB = try c.decodeIfPresent(Double.self, forKey: .blankDiskGiB)
        domainType = try c.decodeIfPresent(String.self, forKey: .domainType)
        seedVolumes = try c.decodeIfPresent([GatewayConfiguration.SeedVolume].self, forKey: .seedVolumes)
        sshKey = try c.decodeIfPresent(String.self, forKey: .sshKey)
        knownHosts = try c.decodeIfPresent(String.self, forKey: .knownHosts)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        upstreamBackend = try c.decodeIfPresent(String.self, forKey: .upstreamBackend)
        token = try c.decodeIfPresent(String.self, forKey: .token)
        username = try c.decodeIfPresent(String.self, forKey: .username)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        caFile = try c.decodeIfPresent(String.self, forKey: .caFile)
        clientCertificate = try c.decodeIfPresent(String.self, forKey: .clientCertificate)
        clientKey = try c.decodeIfPresent(String.self, forKey: .clientKey)
        insecure = try c.decodeIfPresent(Bool.self, forKey: .insecure)
        connectTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .connectTimeoutSeconds)
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
        pollIntervalSeconds = try c.decodeIfPresent(Double.self, forKey: .pollIntervalSeconds)
        storageRoots = try c.decodeIfPresent([String].self, forKey: .storageRoots)
    }
}
