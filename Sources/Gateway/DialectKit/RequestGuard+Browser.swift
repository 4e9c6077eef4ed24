import Hummingbird
import Spec

extension RequestGuard {
    /// 421 unless the `Host` header names a host the gateway answers to (DNS rebinding).
    func checkHost(_ request: Request) throws {
        guard let allowed = policy.allowedHosts, let authority = request.head.authority else { return }
        guard allowed.contains(Self.hostName(authority)) else {
            throw HTTPError(
                .misdirectedRequest, message: "this gateway does not answer to host '\(authority.prefix(255))'")
        }
    }

    /// 403 for a state-changing request or WebSocket upgrade whose `Origin` is neither the
    /// gateway itself nor an allowed origin (cross-site request forgery). Requests without an
    /// `Origin` (command-line clients) pass.
    func checkOrigin(_ request: Request) throws {
        let upgrade = request.headers[.upgrade]?.lowercased() == "websocket"
        guard upgrade || GuardRules.isStateChanging(request), let origin = request.headers[.origin] else { return }
        if policy.allowedOrigins.contains(origin) { return }
        if let authority = request.head.authority, let scheme = origin.range(of: "://"),
            origin[scheme.upperBound...].lowercased() == authority.lowercased()
        {
            return
        }
        throw SpecError.forbidden("requests from origin '\(origin.prefix(255))' are not allowed")
    }

    /// The host of a `Host` header, without port, lower case.
    static func hostName(_ authority: String) -> String {
        let lower = authority.lowercased()
        if lower.hasPrefix("["), let end = lower.firstIndex(of: "]") { return String(lower[...end]) }
        if lower.filter({ $0 == ":" }).count == 1, let colon = lower.firstIndex(of: ":") {
            return String(lower[..<colon])
        }
        return lower
    }
}
