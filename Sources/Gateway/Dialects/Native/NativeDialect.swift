public import DialectKit
import GatewayCore
public import Hummingbird

/// vmgate's own JSON REST API over the Spec model, at `/api/v1` by default.
///
/// Option `backendRoutes: "true"` enables the backend-level routes (`/backends/:name/machines`,
/// `/definitions`, `/pools`, …) that take Spec values and machine definitions as they are; they
/// are for another vmgate's `proxy` backend and operators, so they are off by default.
public struct NativeDialect: Dialect {
    public static let name = "native"
    public static let defaultPrefix = "/api/v1"
    let environment: DialectEnvironment
    let listCache = ResponseCache()
    /// Whether the backend-level routes are served.
    let backendRoutes: Bool

    /// Creates the dialect; `invalid` for a malformed option.
    public init(environment: DialectEnvironment) throws {
        self.environment = environment
        backendRoutes = try Self.flag(environment.options["backendRoutes"], "native option 'backendRoutes'") ?? false
    }

    var fleet: Fleet { environment.fleet }

    public func routes() -> RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.add(middleware: DialectMetricsMiddleware(dialect: Self.name))
        routes.add(middleware: DialectErrorMiddleware { NativeError($0) })
        routes.add(middleware: environment.requestGuard(Self.guardRules))
        routes.add(middleware: PathParameterDecodingMiddleware())
        addMachineRoutes(to: routes)
        addMachineDetailRoutes(to: routes)
        addCatalogRoutes(to: routes)
        addStorageRoutes(to: routes)
        addSystemRoutes(to: routes)
        addIdentityRoutes(to: routes)
        addBackendRoutes(to: routes, enabled: backendRoutes)
        addMethodNotAllowedRoutes(to: routes)
        return routes
    }
}
