public import Foundation
import Spec

/// JSON settings of the native API's backend-level routes (`/backends/:name/...`): Spec types
/// as they are, dates as Foundation reference-date seconds (`.deferredToDate`) so nothing is rounded on the way.
public enum ProxyWire {
    /// The encoder both ends use.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .deferredToDate
        return encoder
    }

    /// The decoder both ends use.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        return decoder
    }

    /// The native error body `{"error": {"kind": ..., "message": ...}}`.
    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var kind: String?
            var message: String?
        }
        var error: Detail
    }

    /// The upstream's answer to a failed request, as a ``SpecError``.
    static func error(status: Int, body: [UInt8], what: String) -> SpecError {
        let cause = "upstream HTTP \(status)"
        if status == 401 {
            // Not the client's mistake: this backend's own credentials are wrong or missing.
            let detail = (try? JSONDecoder().decode(ErrorBody.self, from: Data(body)))?.error.message
            return SpecError(
                .unavailable,
                "the upstream refused this proxy backend's credentials (HTTP 401"
                    + (detail.map { ": \($0.prefix(200))" } ?? "") + "); check its token or username/password",
                cause: cause)
        }
        if let decoded = try? JSONDecoder().decode(ErrorBody.self, from: Data(body)),
            let message = decoded.error.message
        {
            var kind = decoded.error.kind.flatMap(SpecError.Kind.init(rawValue:)) ?? kind(forStatus: status)
            // The upstream's own fault is, from here, a backend that failed.
            if kind == .internal { kind = .unavailable }
            return SpecError(kind, message, cause: cause)
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return SpecError(
            kind(forStatus: status), "upstream answered \(status) to \(what)",
            cause: text.isEmpty ? cause : "\(cause): \(text)")
    }

    /// The Spec kind for an HTTP status without a native error body.
    static func kind(forStatus status: Int) -> SpecError.Kind {
        switch status {
        case 404: .notFound
        case 409, 412: .conflict
        case 400, 413, 422: .invalid
        case 405, 501: .unsupported
        default: .unavailable
        }
    }

    /// One percent-encoded path segment.
    static func segment(_ value: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;?#%")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
