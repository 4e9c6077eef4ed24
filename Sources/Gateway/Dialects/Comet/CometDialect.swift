public import DialectKit
import GatewayCore
import HTTPTypes
public import Hummingbird
import Spec

/// The Project Comet REST API (Kimchi conventions: collections GET/POST, resources
/// GET/PUT/DELETE, actions as `POST <resource>/<action>`), at `/comet` by default.
///
/// A Comet cluster is a Spec group; its VMs are the group's machines. Released VMs (after the
/// `stop` action) are kept in the store (namespace `comet.released`) and shown as shut off.
public struct CometDialect: Dialect {
    public static let name = "comet"
    public static let defaultPrefix = "/comet"

    let environment: DialectEnvironment
    /// Serial-console sessions held through this dialect (one per VM unless forced).
    let consoles = CometConsoleSessions()

    /// Creates the dialect.
    public init(environment: DialectEnvironment) { self.environment = environment }

    var fleet: Fleet { environment.fleet }
    var released: CometReleasedStore { CometReleasedStore(store: fleet.store) }

    public func routes() -> RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.add(middleware: DialectMetricsMiddleware(dialect: Self.name))
        routes.add(middleware: DialectErrorMiddleware { CometError($0) })
        routes.add(middleware: environment.requestGuard(GuardRules(isAdminOnly: GuardRules.paths(["/storagepools"]))))
        addClusterRoutes(to: routes)
        addVMRoutes(to: routes)
        addConsoleRoutes(to: routes)
        addVMStorageRoutes(to: routes)
        addSnapshotRoutes(to: routes)
        addStoragePoolRoutes(to: routes)
        addStorageServerRoutes(to: routes)
        addFallbackRoutes(to: routes)
        return routes
    }

    /// Unknown paths under the mount get a Kimchi-style 404 instead of an empty one.
    private func addFallbackRoutes(to routes: RouteCollection<GatewayContext>) {
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch] {
            routes.on("**", method: method) { request, _ -> Response in
                throw SpecError.notFound("no resource at \(request.uri.path)")
            }
        }
    }
}
