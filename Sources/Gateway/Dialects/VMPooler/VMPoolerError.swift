import DialectKit
import Foundation
import Hummingbird
import Spec

/// vmpooler's error answer: `{"ok": false}` with the right status, plus a `message` (and any
/// extra fields such as `failure`) explaining what went wrong.
struct VMPoolerError: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String?
    var extra: [String: VMPoolerJSON] = [:]

    init(_ status: HTTPResponse.Status, _ message: String? = nil, extra: [String: VMPoolerJSON] = [:]) {
        self.status = status
        self.message = message
        self.extra = extra
    }

    init(_ any: any Error) {
        let (status, error) = SpecError.classify(any)
        self.init(status, error.message)
    }

    static func notFound(_ message: String) -> VMPoolerError { VMPoolerError(.notFound, message) }
    static func badRequest(_ message: String) -> VMPoolerError { VMPoolerError(.badRequest, message) }
    static func unauthorized(_ message: String) -> VMPoolerError { VMPoolerError(.unauthorized, message) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = extra
        body["ok"] = false
        if let message { body["message"] = .string(message) }
        var headers: HTTPFields = [:]
        if status == .unauthorized { headers[.wwwAuthenticate] = #"Basic realm="vmpooler""# }
        return try JSONWire.response(VMPoolerJSON.object(body), status: status, headers: headers)
    }
}
