import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

/// Wok's login body.
struct KimchiLogin: Decodable {
    var username: String
    var password: String
}

/// Wok's answer to a login: the user and their role.
struct KimchiUserInfo: Encodable {
    var username: String
    var roles: [String: String]
    var groups: [String]
}

extension KimchiDialect {
    /// The session cookie Wok sets at `POST /login`.
    static let sessionCookie = "wok"

    /// Wok's `POST /login` (a session cookie for browser clients) and `POST /logout`. Kimchi
    /// clients may also send HTTP Basic or a bearer token on every request.
    func addLoginRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.post("/login") { request, context in
            let login = try await JSONWire.decode(KimchiLogin.self, from: request, context: context)
            guard let principal = environment.access.users.authenticate(user: login.username, password: login.password)
            else { throw RequestGuard.unauthorized("wrong user name or password") }
            let session = Token(value: "s-" + NameGenerator.random(40), user: principal.user)
            try await fleet.store.saveToken(session)
            let info = KimchiUserInfo(
                username: principal.user, roles: ["kimchi": principal.isAdmin ? "admin" : "user"],
                groups: principal.groups.sorted())
            let cookie = "\(Self.sessionCookie)=\(session.value); Path=/; HttpOnly; SameSite=Strict"
            return try JSONWire.response(info, headers: [.setCookie: cookie])
        }
        routes.post("/logout") { request, _ in
            if let value = Self.sessionValue(request), value.hasPrefix("s-") {
                try await fleet.revokeToken(value)
            }
            let cookie = "\(Self.sessionCookie)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
            return Response(status: .seeOther, headers: [.setCookie: cookie, .location: "/login.html"])
        }
    }

    /// The session cookie's value, if the request carries one.
    static func sessionValue(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix(sessionCookie + "=") { return String(trimmed.dropFirst(sessionCookie.count + 1)) }
            }
        }
        return nil
    }

    /// Kimchi's credentials: HTTP Basic, a bearer token, or Wok's session cookie.
    static let guardRules = GuardRules(
        credential: { request in
            GuardRules.standardCredential(request) ?? sessionValue(request).map { .token($0) }
        },
        isPublic: { request, path in
            path == "/login" || path == "/logout" || path == "/config" && request.method == .get
        },
        // Templates and storage are shared: only administrators change them, as in Wok's roles.
        isAdminOnly: GuardRules.paths(["/templates", "/storagepools"]))
}
