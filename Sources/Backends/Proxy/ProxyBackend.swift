import Foundation
public import Logging
public import Spec
import Synchronization

/// A ``Backend`` that forwards every Spec operation to one backend of another vmgate, through
/// that gateway's native API (`/api/v1/backends/:name/...`) over libcurl.
///
/// Requests run on a dedicated thread pool (one reusable easy handle per in-flight request),
/// with connect and total timeouts; TLS, bearer and basic auth come from ``ProxyConfiguration``.
/// Upstream errors keep their Spec kind; a connection failure is `unavailable`.
/// Machine names are the upstream backend's; ids become `<proxy name>:<name>`.
/// Events are produced by polling the upstream list (see ``events()``), so the `events`
/// capability is not announced.
public final class ProxyBackend: Backend, Sendable {
    /// Name from configuration; the prefix of machine ids.
    public let name: String
    /// Always `proxy`.
    public let kind = "proxy"
    /// The connection settings.
    public let configuration: ProxyConfiguration

    let logger: Logger
    let client: CurlClient
    let state = Mutex(State())

    struct State {
        var capabilities: BackendCapabilities?
        var lastError: String?
        var lastErrorAt: Date?
        var latency: Double?
        var reachable = true
        var closed = false
    }

    /// Features the proxy cannot forward even when the upstream has them.
    static let unforwarded: BackendCapabilities = [.events, .serialConsole]

    /// Creates the backend; ``connect()`` learns the upstream backend's capabilities.
    public init(name: String, configuration: ProxyConfiguration, logger: Logger) {
        self.name = name
        self.configuration = configuration
        self.logger = logger
        self.client = CurlClient(threads: configuration.threads, settings: configuration.settings)
    }

    /// `<url>#<upstream backend>`, credentials masked.
    public var endpoint: String { "\(configuration.redactedURL)#\(configuration.upstreamBackend)" }

    /// The upstream backend's capabilities (none until it has been reached once).
    public var capabilities: BackendCapabilities { state.withLock { $0.capabilities ?? [] } }

    /// Reaches the upstream once and learns its backend's capabilities.
    public func connect() async throws {
        state.withLock { $0.closed = false }
        try await loadCapabilities()
    }

    /// Stops the worker threads; later calls fail with `unavailable`.
    public func close() async {
        state.withLock { $0.closed = true }
        await client.shutdown()
    }

    /// Health of the upstream backend as the upstream sees it, plus reachability of the upstream.
    public func health() async -> BackendHealth {
        let started = ContinuousClock.now
        do {
            let upstream: BackendHealth = try await get("/health")
            let latency = (ContinuousClock.now - started).seconds
            if state.withLock({ $0.capabilities == nil }) { try? await loadCapabilities() }
            let (lastError, lastErrorAt) = state.withLock { state in
                state.latency = latency
                return (state.lastError, state.lastErrorAt)
            }
            return BackendHealth(
                healthy: upstream.healthy, lastError: upstream.lastError ?? lastError,
                lastErrorAt: upstream.lastErrorAt ?? lastErrorAt, latencySeconds: latency)
        } catch {
            let (lastError, lastErrorAt) = state.withLock { ($0.lastError, $0.lastErrorAt) }
            let spec = SpecError.wrap(error)
            logger.warning("upstream health probe failed", metadata: ["backend": "\(name)", "error": "\(spec)"])
            return BackendHealth(healthy: false, lastError: lastError ?? spec.message, lastErrorAt: lastErrorAt)
        }
    }

    /// Host capacity of the upstream backend.
    public func hostInfo() async throws -> HostInfo { try await get("/host") }

    /// Checks `capability`, first learning the upstream's capabilities if they are still unknown
    /// (the upstream was unreachable so far): `unavailable` then, not `unsupported`.
    func need(_ capability: BackendCapabilities, _ what: String) async throws {
        if state.withLock({ $0.capabilities == nil }) { try await loadCapabilities() }
        try require(capability, what)
    }

    private func loadCapabilities() async throws {
        struct Status: Decodable { var capabilities: [String] }
        let response = try await send(
            "GET", configuration.url + "/backends/" + ProxyWire.segment(configuration.upstreamBackend))
        let status = try decode(Status.self, response)
        let upstream = BackendCapabilities.parse(status.capabilities)
        state.withLock { $0.capabilities = upstream.subtracting(Self.unforwarded) }
    }

    // MARK: Requests

    /// URL of `path` under the upstream backend.
    func url(_ path: String) -> String {
        configuration.url + "/backends/" + ProxyWire.segment(configuration.upstreamBackend) + path
    }

    /// Sends a request to the upstream backend and returns the successful response; `upload`
    /// streams a local image file as the body.
    func call(
        _ method: String, _ path: String, body: [UInt8]? = nil, upload: ImageFile? = nil,
        contentType: String = "application/json"
    ) async throws -> CurlResponse {
        try await send(method, url(path), body: body, upload: upload, contentType: contentType)
    }

    private func send(
        _ method: String, _ url: String, body: [UInt8]? = nil, upload: ImageFile? = nil,
        contentType: String = "application/json"
    ) async throws -> CurlResponse {
        guard !state.withLock({ $0.closed }) else { throw SpecError.unavailable("backend '\(name)' is closed") }
        var headers = ["Accept: application/json"]
        if body != nil || upload != nil { headers.append("Content-Type: \(contentType)") }
        let response: CurlResponse
        do {
            response = try await client.perform(
                CurlRequest(method: method, url: url, body: body, upload: upload, headers: headers))
        } catch {
            noteFailure(SpecError.wrap(error))
            throw error
        }
        guard response.status < 400 else {
            let error = ProxyWire.error(status: response.status, body: response.body, what: "\(method) \(redact(url))")
            if error.kind == .unavailable { noteFailure(error) } else { noteSuccess() }
            throw error
        }
        noteSuccess()
        return response
    }

    /// GET and decode.
    func get<T: Decodable>(_ path: String) async throws -> T {
        try decode(T.self, try await call("GET", path))
    }

    /// Sends a JSON body and decodes the answer.
    func send<T: Decodable>(_ method: String, _ path: String, json: some Encodable) async throws -> T {
        let body = try Array(ProxyWire.encoder().encode(json))
        return try decode(T.self, try await call(method, path, body: body))
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: CurlResponse) throws -> T {
        do { return try ProxyWire.decoder().decode(T.self, from: Data(response.body)) } catch {
            let failure = SpecError.unavailable(
                "upstream answered with a body vmgate cannot read", cause: String(describing: error))
            noteFailure(failure)
            throw failure
        }
    }

    /// Remembers `error` for health reports: its client-facing message only, never the cause.
    func noteFailure(_ error: SpecError) {
        state.withLock { state in
            state.reachable = false
            state.lastError = error.message
            state.lastErrorAt = Date()
        }
    }

    private func noteSuccess() {
        state.withLock { $0.reachable = true }
    }
}

extension BackendCapabilities {
    /// The flags named in `names` (as ``names`` spells them); unknown names are ignored.
    static func parse(_ names: [String]) -> BackendCapabilities {
        var result: BackendCapabilities = []
        for bit in 0..<32 {
            let flag = BackendCapabilities(rawValue: 1 << UInt32(bit))
            if let flagName = flag.names.first, names.contains(flagName) { result.insert(flag) }
        }
        return result
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
