import DialectKit
import Hummingbird

extension VMPoolerDialect {
    /// vmpooler's credentials: `X-AUTH-TOKEN` (a token from `POST /token`), or HTTP Basic (the
    /// `/token` routes). Whose VM is whose the dialect decides itself, as vmpooler does: a VM
    /// belongs to the user who checked it out, and pool stock belongs to nobody until then; the
    /// pool-changing routes are for administrators (see `requireExperimental`).
    static let guardRules = GuardRules(
        credential: { request in
            if let token = request.headers[tokenHeader], !token.isEmpty { return .token(token) }
            return GuardRules.standardCredential(request)
        },
        // Reads are public, as in vmpooler, and so is asking for a token (the dialect checks its
        // Basic auth); with `auth: required` every change needs a token, checkouts included.
        isPublic: { request, path in
            !GuardRules.isStateChanging(request) || request.method == .post && path.hasSuffix("/token")
        },
        scopesFleet: false)
}
