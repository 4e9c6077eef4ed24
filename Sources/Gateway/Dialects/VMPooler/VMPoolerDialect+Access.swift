import DialectKit
import Hummingbird

extension VMPoolerDialect {
    /// vmpooler's credentials: `X-AUTH-TOKEN` (a token from `POST /token`), or HTTP Basic (the
    /// `/token` routes). Which routes need them, and whose VM is whose, the dialect decides
    /// itself as vmpooler does: reads are public, a VM belongs to the user who checked it out,
    /// and pool stock belongs to nobody until then; the pool-changing routes are for
    /// administrators (see `requireExperimental`).
    static let guardRules = GuardRules(
        credential: { request in
            if let token = request.headers[tokenHeader], !token.isEmpty { return .token(token) }
            return GuardRules.standardCredential(request)
        },
        isPublic: { _, _ in true },
        scopesFleet: false)
}
