public import DialectKit
import GatewayCore
public import Hummingbird

/// vmgate's own JSON REST API over the Spec model, at `/api/v1` by default.
public struct NativeDialect: Dialect {
    public static let name = "native"
    public static let defaultPrefix = "/api/v1"
    let environment: DialectEnvironment
    let listCache = ResponseCache()

    /// Creates the dialect.
    public init(environment: DialectEnvironment) { self.environment = environment }

    var fleet: Fleet { environment.fleet }

    public func routes() -> RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.add(middleware: DialectMetricsMiddleware(dialect: Self.name))
        routes.add(middleware: DialectErrorMiddleware { NativeError($0) })
        routes.add(middleware: PathParameterDecodingMiddleware())
        addMachineRoutes(to: routes)
        addMachineDetailRoutes(to: routes)
        addCatalogRoutes(to: routes)
        addStorageRoutes(to: routes)
        addSystemRoutes(to: routes)
        addBackendRoutes(to: routes)
        addMethodNotAllowedRoutes(to: routes)
        return routes
    }
}
