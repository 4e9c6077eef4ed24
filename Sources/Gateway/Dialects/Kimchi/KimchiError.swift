import DialectKit
import Foundation
import Hummingbird
import Spec

/// Kimchi's error: `{"code": 404, "reason": "..."}` with the matching HTTP status.
struct KimchiError: HTTPResponseError {
    let status: HTTPResponse.Status
    let error: SpecError

    init(_ any: any Error) {
        (status, error) = SpecError.classify(any)
    }

    init(status: HTTPResponse.Status, _ error: SpecError) {
        self.status = status
        self.error = error
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONWire.response(KimchiErrorBody(code: status.code, reason: error.message), status: status)
    }
}

/// The JSON body of a Kimchi error.
struct KimchiErrorBody: Codable {
    var code: Int
    var reason: String
}
