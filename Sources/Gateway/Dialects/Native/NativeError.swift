import DialectKit
import Foundation
import Hummingbird
import Spec

/// The native API's error: `{"error": {"code": 404, "kind": "notFound", "message": "..."}}`.
struct NativeError: HTTPResponseError {
    let status: HTTPResponse.Status
    let error: SpecError

    init(_ any: any Error) {
        (status, error) = SpecError.classify(any)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = NativeErrorBody(error: .init(code: status.code, kind: error.kind.rawValue, message: error.message))
        return try JSONWire.response(body, status: status)
    }
}

/// The JSON body of a native error.
struct NativeErrorBody: Codable {
    struct Detail: Codable {
        var code: Int
        var kind: String
        var message: String
    }
    var error: Detail
}
