import DialectKit
import Foundation
import Hummingbird
import Spec

/// The error of the virtualization-server API: `{"error": "..."}` with a fitting status.
struct VirtualizationServerError: HTTPResponseError {
    let status: HTTPResponse.Status
    let error: SpecError

    init(_ any: any Error) {
        (status, error) = SpecError.classify(any)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONWire.response(VirtualizationServerErrorBody(error: error.message), status: status)
    }
}

/// The JSON body of an error.
struct VirtualizationServerErrorBody: Codable {
    var error: String
}
