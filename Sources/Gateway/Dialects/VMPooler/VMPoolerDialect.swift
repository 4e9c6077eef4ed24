public import DialectKit
import GatewayCore
public import Hummingbird
import Logging

/// The vmpooler API (puppetlabs/vmpooler): pools of ready VMs kept filled by a pool manager,
/// checkout, lifetimes, tokens, status and summary. Mounted at `/vmpooler` by default and served
/// at the mount root, under `/api/v1` and under `/api/v3` (FQDN hostnames in checkout answers).
///
/// Pools are groups with `options: {vmpooler: "true"}` (or named in the `pools` option): the
/// group's `template`, `size`, `backends` and `aliases` are the pool's. See ``VMPoolerSettings``
/// for the dialect's options.
public struct VMPoolerDialect: Dialect {
    public static let name = "vmpooler"
    public static let defaultPrefix = "/vmpooler"

    /// API flavours served side by side.
    enum Version: Sendable {
        /// Short hostnames plus a `domain` key (the mount root and `/api/v1`).
        case v1
        /// Fully qualified hostnames (`/api/v3`).
        case v3
    }

    let environment: DialectEnvironment
    let settings: VMPoolerSettings
    let auth: any VMPoolerAuthProvider
    let manager: PoolManager

    /// Creates the dialect; users come from the `users` option unless `auth` is given.
    public init(environment: DialectEnvironment, auth: (any VMPoolerAuthProvider)? = nil) throws {
        self.environment = environment
        self.settings = try VMPoolerSettings(options: environment.options)
        let directory = environment.access.users
        self.auth =
            auth ?? (directory.isEmpty ? StaticUserAuth(users: settings.users) : DirectoryAuth(users: directory))
        self.manager = PoolManager(fleet: environment.fleet, settings: settings, logger: environment.logger)
    }

    var fleet: Fleet { environment.fleet }

    /// Runs the pool manager until shutdown.
    public func run() async throws { await manager.run() }

    public func routes() -> RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.add(middleware: DialectMetricsMiddleware(dialect: Self.name))
        routes.add(middleware: DialectErrorMiddleware { VMPoolerError($0) })
        routes.add(middleware: environment.requestGuard(Self.guardRules))
        for (base, version) in [("", Version.v1), ("/api/v1", .v1), ("/api/v3", .v3)] {
            addVMRoutes(to: routes, base: base, version: version)
            addVMDetailRoutes(to: routes, base: base)
            addTokenRoutes(to: routes, base: base)
            addStatusRoutes(to: routes, base: base)
            addConfigRoutes(to: routes, base: base)
            addOnDemandRoutes(to: routes, base: base, version: version)
        }
        return routes
    }
}
