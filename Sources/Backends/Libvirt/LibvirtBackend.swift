import Foundation
public import Logging
public import Spec
import Synchronization

/// A ``Backend`` over the libvirt C API: one connection to one libvirt host.
///
/// Blocking libvirt calls run on dedicated threads (``WorkerLanes``: background-priority work on
/// lower-priority threads). Machines are served from an in-memory
/// cache kept current by libvirt lifecycle events, by a refresh after every mutating call and by a
/// periodic full resync. A lost connection is re-opened on the next call, with a bounded backoff.
public final class LibvirtBackend: Backend, Sendable {
    /// Name from configuration; the prefix of machine ids.
    public let name: String
    /// Always `libvirt`.
    public let kind = "libvirt"
    /// The connection settings.
    public let configuration: LibvirtConfiguration

    let logger: Logger
    let lanes: WorkerLanes
    let cache = MachineCache()
    let serializer = KeyedSerializer()
    let hub = EventHub()
    let link: Mutex<LinkState>
    let notes = NoteQueue()

    /// Creates the backend; ``connect()`` opens the connection.
    public init(name: String, configuration: LibvirtConfiguration, logger: Logger) {
        self.name = name
        self.configuration = configuration
        self.logger = logger
        self.lanes = WorkerLanes(threads: configuration.threads)
        self.link = Mutex(LinkState(capabilities: Self.capabilities(forURI: configuration.uri)))
    }

    /// Where the backend points, without credentials.
    public var endpoint: String { configuration.redactedURI }

    /// What the connected driver can do (a guess from the URI until connected).
    public var capabilities: BackendCapabilities { link.withLock { $0.capabilities } }

    /// Lifecycle events of this backend's machines; each caller gets its own stream.
    public func events() -> AsyncStream<MachineEvent> { hub.stream() }

    /// Health as of a quick probe round trip.
    public func health() async -> BackendHealth {
        let (connection, lastError, lastErrorAt) = link.withLock { ($0.connection, $0.lastError, $0.lastErrorAt) }
        guard let connection, !connection.isDead else {
            return BackendHealth(healthy: false, lastError: lastError ?? "not connected", lastErrorAt: lastErrorAt)
        }
        let start = ContinuousClock.now
        do {
            try await lanes.run {
                guard libraryVersion(connection) != nil else {
                    throw LibvirtError.capture("probe", "libvirt", connection: connection)
                }
            }
            let latency = (ContinuousClock.now - start).seconds
            link.withLock { $0.latency = latency }
            return BackendHealth(healthy: true, lastError: lastError, lastErrorAt: lastErrorAt, latencySeconds: latency)
        } catch {
            let spec = SpecError.wrap(error)
            logger.warning("libvirt health probe failed", metadata: ["backend": "\(name)", "error": "\(spec)"])
            noteFailure(spec)
            let (lastError, lastErrorAt) = link.withLock { ($0.lastError, $0.lastErrorAt) }
            return BackendHealth(healthy: false, lastError: lastError, lastErrorAt: lastErrorAt)
        }
    }

    /// Runs `body` with a live connection on the blocking-call pool, reconnecting first if needed.
    func run<T: Sendable>(_ body: @escaping @Sendable (LibvirtConnection) throws -> T) async throws -> T {
        let connection = try await connection()
        do {
            return try await lanes.run { try body(connection) }
        } catch let error as SpecError {
            if error.kind == .unavailable { noteFailure(error) }
            throw error
        } catch {
            throw SpecError.unavailable("backend '\(name)' is closed", cause: String(describing: error))
        }
    }

    /// Runs a mutation of machine `machine` and stores the machine it returns (nil: gone) in the cache.
    @discardableResult
    func mutate(
        _ machine: String, _ body: @escaping @Sendable (LibvirtConnection) throws -> Machine?
    ) async throws -> Machine? {
        try await serializer.run(machine) {
            let ticket = self.cache.ticket()
            let result = try await self.run(body)
            self.cache.store(result, named: result?.name ?? machine, ticket: ticket)
            return result
        }
    }

    /// Runs a mutation that returns the machine afterwards and stores it in the cache.
    func mutateMachine(
        _ machine: String, _ body: @escaping @Sendable (LibvirtConnection) throws -> Machine
    ) async throws -> Machine {
        try await serializer.run(machine) {
            let ticket = self.cache.ticket()
            let result = try await self.run(body)
            self.cache.store(result, named: result.name, ticket: ticket)
            return result
        }
    }

    /// Re-reads one machine from libvirt into the cache.
    @discardableResult
    func refresh(_ machine: String) async throws -> Machine? {
        let backend = name
        return try await mutate(machine) { try MachineReader.read(named: machine, $0, backend: backend) }
    }

    /// Reloads every machine from libvirt into the cache (the periodic safety net).
    public func reload() async throws {
        let ticket = cache.ticket()
        let backend = name
        let machines = try await run { try MachineReader.readAll($0, backend: backend) }
        cache.replaceAll(machines, ticket: ticket)
    }

    /// Remembers `error` for health reports: its client-facing message only, never the cause
    /// (libvirt's own text), which whoever caught the error logs.
    func noteFailure(_ error: SpecError) {
        link.withLock { state in
            state.lastError = error.message
            state.lastErrorAt = Date()
        }
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
