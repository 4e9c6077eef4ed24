public import HTTPTypes
import Hummingbird
public import Spec

extension SpecError.Kind {
    /// The HTTP status most dialects use for this kind.
    public var httpStatus: HTTPResponse.Status {
        switch self {
        case .notFound: .notFound
        case .conflict: .conflict
        case .invalid: .badRequest
        case .unsupported: .notImplemented
        case .forbidden: .forbidden
        case .unavailable: .serviceUnavailable
        case .internal: .internalServerError
        }
    }

    /// The kind of an HTTP error status that carries no kind of its own.
    public init(httpStatus status: HTTPResponse.Status) {
        self =
            switch status.code {
            case 404: .notFound
            case 409: .conflict
            case 403: .forbidden
            case 501: .unsupported
            case 500: .internal
            case 502...: .unavailable
            default: .invalid
            }
    }
}

extension SpecError {
    /// Classifies any error thrown while serving a request: Spec errors keep their kind,
    /// Hummingbird's HTTP errors keep their status, and anything else is a fault of vmgate
    /// (`internal`, 500) whose description stays in ``cause`` for the log.
    public static func classify(_ error: any Error) -> (status: HTTPResponse.Status, error: SpecError) {
        if let spec = error as? SpecError { return (spec.kind.httpStatus, spec) }
        if let http = error as? any HTTPResponseError {
            let kind = Kind(httpStatus: http.status)
            let body = (http as? HTTPError)?.body
            // A 5xx body may be anything the failing code put there: keep it for the log only.
            let message = kind == .internal || kind == .unavailable ? nil : body
            return (
                http.status,
                SpecError(
                    kind, message ?? (kind == .internal ? internalMessage : http.status.reasonPhrase), cause: body)
            )
        }
        let spec = wrap(error)
        return (spec.kind.httpStatus, spec)
    }
}
