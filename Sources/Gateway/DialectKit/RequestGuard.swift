public import GatewayCore
public import Hummingbird
public import HummingbirdAuth
public import Spec

/// What a client presents to prove who it is.
public enum Credential: Sendable, Hashable {
    /// A user name and password (HTTP Basic, IM's auth header, a login form).
    case password(user: String, password: String)
    /// An API token (`Authorization: Bearer`, vmpooler's `X-AUTH-TOKEN`, a session).
    case token(String)
}

/// A dialect's part in access control: how its clients present credentials, which routes need
/// none, and which only administrators may use.
public struct GuardRules: Sendable {
    /// Reads the credential of a request.
    public var credential: @Sendable (Request) -> Credential?
    /// Whether a request needs no credential (path relative to the dialect's prefix).
    public var isPublic: @Sendable (Request, _ path: String) -> Bool
    /// Whether a request is for administrators only (path relative to the dialect's prefix).
    public var isAdminOnly: @Sendable (Request, _ path: String) -> Bool
    /// Whether the fleet holds requests to the principal's machines. A dialect with an
    /// ownership model of its own (vmpooler: pool stock belongs to nobody until checked out)
    /// turns it off and checks ownership itself.
    public var scopesFleet: Bool

    /// Creates rules; the defaults read HTTP Basic and bearer tokens, make nothing public and
    /// nothing admin-only.
    public init(
        credential: @escaping @Sendable (Request) -> Credential? = GuardRules.standardCredential,
        isPublic: @escaping @Sendable (Request, String) -> Bool = { _, _ in false },
        isAdminOnly: @escaping @Sendable (Request, String) -> Bool = { _, _ in false }, scopesFleet: Bool = true
    ) {
        self.scopesFleet = scopesFleet
        self.credential = credential
        self.isPublic = isPublic
        self.isAdminOnly = isAdminOnly
    }

    /// `Authorization: Basic` or `Authorization: Bearer`.
    @Sendable public static func standardCredential(_ request: Request) -> Credential? {
        if let basic = request.headers.basic { return .password(user: basic.username, password: basic.password) }
        if let bearer = request.headers.bearer, !bearer.token.isEmpty { return .token(bearer.token) }
        return nil
    }

    /// A rule matching paths under any of `prefixes` (`/templates` matches `/templates` and
    /// `/templates/x`), for state-changing requests only unless `reads` is true.
    public static func paths(_ prefixes: [String], reads: Bool = false) -> @Sendable (Request, String) -> Bool {
        { request, path in
            (reads || isStateChanging(request))
                && prefixes.contains { path == $0 || path.hasPrefix($0 + "/") }
        }
    }

    /// Whether the request changes state (anything but GET, HEAD and OPTIONS).
    public static func isStateChanging(_ request: Request) -> Bool {
        ![.get, .head, .options].contains(request.method)
    }
}

/// Checks every request of a dialect, in the dialect's own error format (it runs inside the
/// dialect's error middleware): the `Host` is one the gateway answers to (421), a
/// state-changing request or WebSocket upgrade from a browser comes from an allowed `Origin`
/// (403), and the caller's credential names a user (401). The principal found runs the rest
/// of the request as ``AccessControl/principal``, so the fleet holds it to its machines.
public struct RequestGuard: AuthenticatorMiddleware {
    public typealias Context = GatewayContext
    public typealias Identity = Principal
    let policy: AccessPolicy
    let rules: GuardRules
    let prefix: String
    let fleet: Fleet
    let dialect: String

    /// Creates the guard of dialect `dialect` mounted at `prefix`.
    public init(
        policy: AccessPolicy, rules: GuardRules = GuardRules(), prefix: String, fleet: Fleet, dialect: String = ""
    ) {
        self.dialect = dialect
        self.policy = policy
        self.rules = rules
        self.prefix = prefix
        self.fleet = fleet
    }

    public func handle(
        _ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response
    ) async throws -> Response {
        guard GuardRules.isStateChanging(request) else { return try await admit(request, context: context, next: next) }
        var principal: Principal?
        do {
            let response = try await admit(request, context: context) { request, context in
                principal = context.identity
                return try await next(request, context)
            }
            await audit(request, principal: principal, status: response.status.code)
            return response
        } catch {
            await audit(request, principal: principal, status: SpecError.classify(error).status.code)
            throw error
        }
    }

    func admit(
        _ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response
    ) async throws -> Response {
        try checkHost(request)
        try checkOrigin(request)
        var context = context
        context.identity = try await authenticate(request: request, context: context)
        let path = relativePath(request)
        if context.identity == nil, policy.mode == .required, !rules.isPublic(request, path) {
            throw Self.unauthorized("authentication required")
        }
        if let principal = context.identity, !principal.isAdmin, rules.isAdminOnly(request, path) {
            throw SpecError.forbidden("only administrators may \(request.method.rawValue) \(request.uri.path)")
        }
        let principal = rules.scopesFleet ? context.identity : nil
        return try await AccessControl.$principal.withValue(principal) { try await next(request, context) }
    }

    /// The principal of the request's credential; nil without one; 401 for a wrong one.
    public func authenticate(request: Request, context: GatewayContext) async throws -> Principal? {
        try await principal(of: request)
    }

    /// The principal of the request's credential; nil without one (or without users); 401 for a wrong one.
    func principal(of request: Request) async throws -> Principal? {
        guard !policy.users.isEmpty, let credential = rules.credential(request) else { return nil }
        return try await Self.principal(of: credential, policy: policy, fleet: fleet)
    }

    /// The checks of ``handle(_:context:next:)`` for a request the router's middleware does not
    /// see (a WebSocket upgrade): the `Host`, then the credential; the principal it proves (nil
    /// without one when credentials are optional). The caller checks `Origin` and runs the rest
    /// as ``AccessControl/principal``.
    public func admit(upgrade request: Request) async throws -> Principal? {
        try checkHost(request)
        let principal = try await principal(of: request)
        if principal == nil, policy.mode == .required { throw Self.unauthorized("authentication required") }
        return principal
    }

    /// The principal a credential proves; 401 when it proves none.
    public static func principal(of credential: Credential, policy: AccessPolicy, fleet: Fleet) async throws
        -> Principal
    {
        switch credential {
        case .password(let user, let password):
            guard let principal = policy.users.authenticate(user: user, password: password) else {
                throw Self.unauthorized("wrong user name or password")
            }
            return principal
        case .token(let value):
            guard let user = try await fleet.tokenOwner(value), let principal = policy.users.principal(named: user)
            else { throw Self.unauthorized("unknown or revoked token") }
            return principal
        }
    }

    /// A 401 asking for HTTP Basic or a bearer token.
    public static func unauthorized(_ message: String) -> HTTPError {
        HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Basic realm=\"vmgate\""], message: message)
    }

    /// The request's path below the dialect's prefix, as the router matches it: percent-decoded,
    /// without empty segments (`//templates` and `/%74emplates` are `/templates` for the rules too).
    func relativePath(_ request: Request) -> String {
        let raw = request.uri.path
        let decoded = raw.removingPercentEncoding ?? raw
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true)
        let prefixSegments = prefix.split(separator: "/", omittingEmptySubsequences: true)
        let rest = segments.starts(with: prefixSegments) ? segments.dropFirst(prefixSegments.count) : segments[...]
        return "/" + rest.joined(separator: "/")
    }
}
