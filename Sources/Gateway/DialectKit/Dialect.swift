public import GatewayCore
public import Hummingbird
public import Logging

/// One REST dialect: a set of routes with its own wire format and error body, working on
/// the ``Fleet`` only.
public protocol Dialect: Sendable {
    /// Registry name (`native`, `kimchi`, ...).
    static var name: String { get }
    /// Prefix the dialect mounts at unless configuration says otherwise.
    static var defaultPrefix: String { get }
    /// The dialect's routes, relative to its prefix.
    func routes() -> RouteCollection<GatewayContext>
    /// Background work of the dialect (a pool manager, a reaper), run as a service beside the
    /// HTTP server from start until shutdown cancels it. The default does nothing.
    func run() async throws
}

extension Dialect {
    /// No background work.
    public func run() async throws {}
}

/// What a dialect gets when it is built.
public struct DialectEnvironment: Sendable {
    /// The fleet.
    public var fleet: Fleet
    /// Where the dialect is mounted (`/api/v1`, or `` for the root).
    public var prefix: String
    /// Dialect options from configuration.
    public var options: [String: String]
    /// Logger with the dialect's name in metadata.
    public var logger: Logger
    /// Who may ask, and how they prove it.
    public var access: AccessPolicy
    /// The dialect's registry name (for the audit log).
    public var name: String

    /// Creates an environment.
    public init(
        fleet: Fleet, prefix: String, options: [String: String] = [:], access: AccessPolicy = .open,
        name: String = "", logger: Logger
    ) {
        self.name = name
        self.fleet = fleet
        self.prefix = prefix
        self.options = options
        self.access = access
        self.logger = logger
    }

    /// The middleware that checks host, origin and credentials for the dialect's routes, under
    /// the dialect's `rules`; add it right after the dialect's error middleware.
    public func requestGuard(_ rules: GuardRules = GuardRules()) -> RequestGuard {
        RequestGuard(policy: access, rules: rules, prefix: prefix, fleet: fleet, dialect: name)
    }

    /// `path` under the dialect's prefix, for links in responses.
    public func link(_ path: String) -> String { prefix + path }
}

/// Builds dialects by name, so configuration decides which are mounted where.
public struct DialectRegistry: Sendable {
    /// Makes a dialect.
    public typealias Factory = @Sendable (DialectEnvironment) throws -> any Dialect

    private var factories: [String: (prefix: String, make: Factory)] = [:]

    /// An empty registry.
    public init() {}

    /// Registers a dialect type with its factory.
    public mutating func register<D: Dialect>(
        _ type: D.Type, _ make: @escaping @Sendable (DialectEnvironment) throws -> D
    ) {
        factories[D.name] = (D.defaultPrefix, { try make($0) })
    }

    /// Names of registered dialects, sorted.
    public var names: [String] { factories.keys.sorted() }

    /// Default prefix of a dialect.
    public func defaultPrefix(_ name: String) -> String? { factories[name]?.prefix }

    /// Builds a dialect.
    public func make(_ name: String, _ environment: DialectEnvironment) throws -> (any Dialect)? {
        try factories[name]?.make(environment)
    }
}
