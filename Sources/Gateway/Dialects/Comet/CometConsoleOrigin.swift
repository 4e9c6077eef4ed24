import Foundation

/// The `Origin` check of the serial-console WebSocket upgrade: a browser page may only open a
/// console from the gateway's own origin or from one the `allowedOrigins` option lists.
enum CometConsoleOrigin {
    /// Whether an upgrade with `origin` (the `Origin` header, nil when absent) to `host` (the
    /// request's `Host`/authority) may proceed. No `Origin` (a non-browser client) is allowed. An
    /// `Origin` matches when its scheme-less `host[:port]` is `host` (default ports `80`/`443` may be
    /// left out on either side) or when it equals an entry of `allowed` (full origins, or bare
    /// `host[:port]` entries that match whatever the scheme).
    static func permits(origin: String?, host: String?, allowed: [String]) -> Bool {
        guard let origin = origin?.trimmingCharacters(in: .whitespaces) else { return true }
        let normalized = normalize(origin)
        for entry in allowed.map(normalize) where !entry.isEmpty {
            if entry == normalized { return true }
            if !entry.contains("://"), let authority = authority(of: normalized), sameAuthority(entry, authority) {
                return true
            }
        }
        guard let host = host?.trimmingCharacters(in: .whitespaces), !host.isEmpty,
            let authority = authority(of: normalized)
        else { return false }
        return sameAuthority(authority, host.lowercased(), scheme: scheme(of: normalized))
    }

    /// The entries of the `allowedOrigins` option (comma-separated).
    static func allowList(_ option: String?) -> [String] {
        (option ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Lower-cased, without a trailing `/`.
    private static func normalize(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    private static func scheme(of origin: String) -> String? {
        origin.range(of: "://").map { String(origin[..<$0.lowerBound]) }
    }

    /// `host[:port]` of `scheme://host[:port]`; nil for `null` and other opaque origins.
    private static func authority(of origin: String) -> String? {
        guard let range = origin.range(of: "://") else { return nil }
        let rest = origin[range.upperBound...]
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@") else { return nil }
        return String(rest)
    }

    /// Whether two `host[:port]` are the same, a missing port standing for the scheme's default.
    private static func sameAuthority(_ a: String, _ b: String, scheme: String? = nil) -> Bool {
        if a == b { return true }
        let defaults: [String] =
            switch scheme {
            case "http", "ws": ["80"]
            case "https", "wss": ["443"]
            default: ["80", "443"]
            }
        return defaults.contains { port in strip(a, port: port) == strip(b, port: port) }
    }

    private static func strip(_ authority: String, port: String) -> String {
        authority.hasSuffix(":" + port) ? String(authority.dropLast(port.count + 1)) : authority
    }
}
