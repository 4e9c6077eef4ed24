import DialectKit
import HTTPTypes
import Hummingbird

extension IMDialect {
    /// IM's credential: the `AUTHORIZATION` header's InfrastructureManager entry (user name and
    /// password, also as HTTP Basic), checked against the gateway's user directory when it has
    /// one. `/version` is public, as in IM.
    static let guardRules = GuardRules(
        credential: { request in
            guard let header = request.headers[HTTPField.Name("Authorization")!],
                let entry = IMAuth.entries(header).first(where: { $0["type"] == "InfrastructureManager" }),
                let user = entry["username"], let password = entry["password"]
            else { return nil }
            return .password(user: user, password: password)
        },
        isPublic: { request, path in path == "/version" && !GuardRules.isStateChanging(request) })
}
