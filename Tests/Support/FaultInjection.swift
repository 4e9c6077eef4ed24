import DialectKit
import Gateway
public import GatewayCore
public import Hummingbird
public import HummingbirdTesting
public import InMemoryLogging
import Logging
public import Spec
import Store

/// Mounts dialects over a fleet with one given backend (a ``FaultyBackend``, say) and an
/// in-memory store, with every log line collected, to test how failures reach clients and logs.
public enum FaultInjection {
    /// Runs `body` against `dialects` (by name, at their default prefixes) over a fleet whose
    /// only backend is `backend`, in a `default` group; everything logged goes to `logs`.
    public static func run(
        backend: any Backend, dialects: [String], options: [String: [String: String]] = [:],
        logs: InMemoryLogHandler, _ body: @Sendable (any TestClientProtocol, Fleet) async throws -> Void
    ) async throws {
        let logger = Logger(label: "faults") { _ in
            var handler = logs
            handler.logLevel = .trace
            return handler
        }
        let store = try SQLiteStore.inMemory()
        var registry = BackendRegistry()
        registry.use(backend)
        let groups = GroupDirectory(configured: [Group(name: "default", backends: [backend.name])], store: store)
        try await groups.load()
        let fleet = Fleet(
            backends: registry, groups: groups, store: store, defaultGroup: "default", callTimeout: 5, logger: logger)
        let router = Router(context: GatewayContext.self)
        for name in dialects {
            let prefix = Gateway.registry.defaultPrefix(name) ?? "/\(name)"
            let environment = DialectEnvironment(
                fleet: fleet, prefix: prefix, options: options[name] ?? [:], logger: logger)
            guard let dialect = try Gateway.registry.make(name, environment) else { continue }
            router.addRoutes(dialect.routes(), atPath: RouterPath(prefix))
        }
        let application = Application(router: router, logger: logger)
        try await application.test(.router) { client in try await body(client, fleet) }
    }
}

extension InMemoryLogHandler {
    /// Every logged line as one string: message and metadata, for searching.
    public var text: [String] {
        entries.map { entry in
            let metadata = entry.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return "[\(entry.level)] \(entry.message) \(metadata.joined(separator: " "))"
        }
    }
}

extension FaultInjection {
    /// Runs `body` against a router whose routes fail through `DialectErrorMiddleware(convert)`:
    /// `GET /fault` throws an ``InjectedFault``, `GET /refused` a client mistake with a libvirt cause.
    public static func runErrorMiddleware<DialectError: HTTPResponseError>(
        _ convert: @escaping @Sendable (any Error) -> DialectError, logs: InMemoryLogHandler,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let logger = Logger(label: "faults") { _ in
            var handler = logs
            handler.logLevel = .trace
            return handler
        }
        let router = Router(context: GatewayContext.self)
        router.add(middleware: DialectErrorMiddleware(convert))
        router.get("/fault") { _, _ -> Response in throw InjectedFault() }
        router.get("/refused") { _, _ -> Response in
            throw SpecError.invalid("invalid definition", cause: "XML error: " + InjectedFault.secret)
        }
        try await Application(router: router, logger: logger).test(.router) { try await body($0) }
    }
}
