/// How a ``ProxyBackend`` reaches the upstream vmgate.
public struct ProxyConfiguration: Sendable {
    /// The upstream's native API base URL (`http://10.0.0.2:8080/api/v1`); may carry `user:pass@`.
    public var url: String
    /// Which backend of the upstream this proxy represents.
    public var upstreamBackend: String
    /// Connect timeout in seconds.
    public var connectTimeout: Double
    /// Whole-request timeout in seconds.
    public var timeout: Double
    /// CA bundle to verify the upstream's TLS certificate with.
    public var caFile: String?
    /// Client certificate (PEM) for mutual TLS.
    public var clientCertificate: String?
    /// Client key (PEM) for mutual TLS.
    public var clientKey: String?
    /// Skip TLS verification (lab use only).
    public var insecure: Bool
    /// Sent as `Authorization: Bearer <token>`.
    public var bearerToken: String?
    /// HTTP basic auth user (with ``password``).
    public var username: String?
    /// HTTP basic auth password.
    public var password: String?
    /// Worker threads (and so at most that many requests in flight).
    public var threads: Int
    /// Seconds between polls of the upstream machine list for ``ProxyBackend/events()``; 0 disables.
    public var pollInterval: Double

    /// Creates a configuration; only `url` and `upstreamBackend` are required.
    public init(
        url: String, upstreamBackend: String, connectTimeout: Double = 5, timeout: Double = 30, caFile: String? = nil,
        clientCertificate: String? = nil, clientKey: String? = nil, insecure: Bool = false, bearerToken: String? = nil,
        username: String? = nil, password: String? = nil, threads: Int = 4, pollInterval: Double = 2
    ) {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        self.url = base
        self.upstreamBackend = upstreamBackend
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.caFile = caFile
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.insecure = insecure
        self.bearerToken = bearerToken
        self.username = username
        self.password = password
        self.threads = threads
        self.pollInterval = pollInterval
    }

    /// The URL with any password masked, for logs and APIs.
    public var redactedURL: String { redact(url) }

    var settings: CurlSettings {
        CurlSettings(
            connectTimeoutMilliseconds: Int(connectTimeout * 1000), totalTimeoutMilliseconds: Int(timeout * 1000),
            caFile: caFile, clientCertificate: clientCertificate, clientKey: clientKey, insecure: insecure,
            bearerToken: bearerToken, username: username, password: password)
    }
}
