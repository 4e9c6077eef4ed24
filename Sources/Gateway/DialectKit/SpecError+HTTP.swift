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
        case .unavailable: .serviceUnavailable
        }
    }
}

extension SpecError {
    /// Classifies any error thrown while serving a request: Spec errors stay, Hummingbird's
    /// HTTP errors keep their status class, anything else is an unavailable backend.
    public static func classify(_ error: any Error) -> (status: HTTPResponse.Status, error: SpecError) {
        if let spec = error as? SpecError { return (spec.kind.httpStatus, spec) }
        if let http = error as? HTTPError {
            let kind: Kind =
                switch http.status.code {
                case 404: .notFound
                case 409: .conflict
                case 501: .unsupported
                case 500...: .unavailable
                default: .invalid
                }
            return (http.status, SpecError(kind, http.body ?? http.status.reasonPhrase))
        }
        return (.serviceUnavailable, SpecError.wrap(error))
    }
}
