import DialectKit
import Foundation
import Hummingbird
import Spec

/// A Comet error in Kimchi style: `{"code": 404, "reason": "..."}`, plus the per-VM failures of
/// a cluster action when there are any.
struct CometError: HTTPResponseError {
    let status: HTTPResponse.Status
    let error: SpecError
    var failures: [CometVMFailure]?

    init(_ any: any Error) {
        (status, error) = SpecError.classify(any)
    }

    init(status: HTTPResponse.Status, _ error: SpecError, failures: [CometVMFailure]) {
        self.status = status
        self.error = error
        self.failures = failures
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONWire.response(
            CometErrorBody(code: Int(status.code), reason: error.message, failures: failures), status: status)
    }
}

/// The JSON body of a Comet error.
struct CometErrorBody: Codable {
    var code: Int
    var reason: String
    var failures: [CometVMFailure]?
}
