public import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
public import Hummingbird
import Spec

/// The Infrastructure Manager (IM) REST API at `/im` by default: infrastructures described
/// in RADL, each a run-time fleet group of machines. As in IM, an infrastructure belongs to the user name
/// and password that created it (a salted hash of the password is kept with it, see ``IMCredential``).
///
/// Options: `users` (`user1:pass1,user2:sha256:<salt>:<hex sha256(salt+password)>`; plaintext passwords are
/// deprecated and logged at start-up; when unset any username/password pair is accepted), `group` (group whose template and
/// backends new infrastructures start from; the fleet's default group otherwise), `version`
/// (reported by `GET /version`).
public struct IMDialect: Dialect {
    public static let name = "im"
    public static let defaultPrefix = "/im"
    let environment: DialectEnvironment
    let users: [String: String]
    let repository: IMRepository

    /// Creates the dialect.
    public init(environment: DialectEnvironment) {
        self.environment = environment
        // With the gateway's user directory the request guard has checked the password already
        // (the old option's users are in the directory); without one, this option (or nothing) decides.
        self.users = environment.access.users.isEmpty ? IMAuth.users(environment.options["users"]) : [:]
        let plaintext = IMAuth.plaintextUsers(users)
        if !plaintext.isEmpty {
            // Read once here, when the dialect is mounted at start-up: warn once, naming users, never passwords.
            environment.logger.warning(
                "IM option 'users' holds plaintext passwords; this is deprecated: use sha256:<salt>:<hex> entries (the option will give way to the gateway-wide user directory)",
                metadata: ["users": "\(plaintext.joined(separator: ","))"])
        }
        self.repository = IMRepository(store: environment.fleet.store)
    }

    var fleet: Fleet { environment.fleet }
    var version: String { environment.options["version"] ?? "1.17.0" }

    public func routes() -> RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.add(middleware: DialectMetricsMiddleware(dialect: Self.name))
        routes.add(middleware: DialectErrorMiddleware { IMFailure($0) })
        routes.add(middleware: environment.requestGuard(Self.guardRules))
        routes.get("/version") { request, _ in
            try IMWire.respond(request, .text(version), field: "version")
        }
        addInfrastructureRoutes(to: routes)
        addPropertyRoutes(to: routes)
        addVMRoutes(to: routes)
        return routes
    }

    /// The authenticated caller of a request (401 otherwise).
    func caller(_ request: Request) throws -> IMCaller {
        try IMAuth.authenticate(request.headers[HTTPField.Name("Authorization")!], users: users)
    }

    /// The infrastructure `id` if `caller` owns it: 404 with IM's "Invalid infrastructure ID or
    /// access not granted" both when it does not exist and when it is someone else's or the
    /// password is not the creator's, so another user learns nothing about it.
    func owned(_ id: String, by caller: IMCaller) async throws -> IMInfrastructure {
        guard let infrastructure = try await repository.get(id), infrastructure.admits(caller) else {
            throw IMFailure(404, "Invalid infrastructure ID or access not granted: \(id)")
        }
        return try await repository.bind(infrastructure, to: caller)
    }

    /// `http://<Host>/<prefix>`: IM answers absolute URIs, which its clients take apart.
    func base(_ request: Request) -> String {
        let host = request.head.authority ?? "localhost"
        return "http://\(host)\(environment.prefix)"
    }

    func infrastructureURI(_ request: Request, _ id: String) -> String { "\(base(request))/infrastructures/\(id)" }

    func vmURI(_ request: Request, _ id: String, _ vm: Int) -> String { "\(infrastructureURI(request, id))/vms/\(vm)" }
}
