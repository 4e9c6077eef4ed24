import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

/// An IM error: its status and message, rendered after the request's `Accept` header as
/// text (default), `{"message": …, "code": …}` JSON, or an HTML page.
struct IMFailure: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String

    init(_ code: Int, _ message: String) {
        self.status = HTTPResponse.Status(code: code)
        self.message = message
    }

    init(_ error: any Error) {
        if let failure = error as? IMFailure {
            self = failure
        } else if let radl = error as? RADLError {
            self.init(400, "Error parsing RADL: \(radl.description)")
        } else {
            let (status, spec) = SpecError.classify(error)
            // IM answers 400 for conflicts with the machine state and unsupported operations.
            let code = spec.kind == .conflict || spec.kind == .unsupported ? 400 : Int(status.code)
            self.init(code, spec.message)
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let accept = IMWire.mediaTypes(request.headers[.accept])
        if accept.contains("application/json") {
            let body: [String: Any] = ["message": message, "code": Int(status.code)]
            let data = try JSONSerialization.data(
                withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
            return JSONWire.bytes(data, status: status)
        }
        if accept.contains("text/html") {
            let html = """
                <!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
                <html>
                    <head>
                        <title>Error \(status.code).</title>
                    </head>
                    <body>
                        <h1>Code: \(status.code).</h1>
                        <h1>Message: \(IMWire.escapeHTML(message))</h1>
                    </body>
                </html>
                """
            return JSONWire.bytes(Array(html.utf8), status: status, contentType: "text/html; charset=utf-8")
        }
        return JSONWire.bytes(Array(message.utf8), status: status, contentType: "text/plain; charset=utf-8")
    }
}

/// What a successful answer carries, before content negotiation.
enum IMOutput {
    /// A string (URI, contmsg, property value).
    case text(String)
    /// A list of URIs.
    case list([String])
    /// A RADL document.
    case radl(RADLDocument)
    /// A JSON-ready value (state dict, property of any type).
    case json(Any)
}

/// Content negotiation as IM's `format_output` does it.
enum IMWire {
    /// Media types of an `Accept` or `Content-Type` header, parameters dropped.
    static func mediaTypes(_ header: String?) -> [String] {
        guard let header else { return [] }
        return header.split(separator: ",").map { part in
            let type = part.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            return type.trimmingCharacters(in: .whitespaces).lowercased()
        }.filter { !$0.isEmpty }
    }

    /// Renders `output` for the request's `Accept`: JSON wraps it as `{field: value}` (lists as
    /// `{field: [{listField: uri}, …]}`); `defaultType` (or `*/*`, `text/*`) gives plain text; other
    /// types get 415.
    static func respond(
        _ request: Request, _ output: IMOutput, defaultType: String = "text/plain", field: String? = nil,
        listField: String? = nil, headers extra: HTTPFields = [:]
    ) throws -> Response {
        let accept = mediaTypes(request.headers[.accept])
        for type in accept.isEmpty ? [defaultType] : accept {
            if type == "application/json" || type == "application/*"
                || (type == defaultType && defaultType == "application/json")
                || (defaultType == "application/json" && (type == "*/*"))
            {
                return try json(output, field: field, listField: listField, headers: extra)
            }
            // text/plain is accepted for URI lists too (one URI a line), which IM itself refuses.
            let plainList = defaultType == "text/uri-list" && type == "text/plain"
            if type == defaultType || type == "*/*" || type == "text/*" || plainList {
                let text: String
                switch output {
                case .text(let value): text = value
                case .list(let values): text = values.joined(separator: "\n")
                case .radl(let document): text = document.text
                case .json(let value):
                    text = String(
                        decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]))
                            ?? Data(), as: UTF8.self)
                }
                return JSONWire.bytes(
                    Array(text.utf8), headers: extra, contentType: plainList ? "text/plain" : defaultType)
            }
        }
        throw IMFailure(415, "Unsupported Accept Media Types: \(accept.joined(separator: ","))")
    }

    private static func json(_ output: IMOutput, field: String?, listField: String?, headers: HTTPFields) throws
        -> Response
    {
        var value: Any
        switch output {
        case .text(let text): value = text
        case .list(let items): value = listField.map { key in items.map { [key: $0] } } ?? items
        case .radl(let document): value = RADLJSON.simple(document)
        case .json(let any): value = any
        }
        if let field { value = [field: value] }
        let data = try JSONSerialization.data(
            withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
        return JSONWire.bytes(data, headers: headers)
    }

    /// An empty `text/plain` 200, IM's answer to actions.
    static func empty() -> Response {
        JSONWire.bytes([UInt8](), contentType: "text/plain")
    }

    /// Parses a request body as RADL after its `Content-Type`: plain RADL (default, `text/*`,
    /// `*/*`) or JSON; other types get 415, syntax errors 400 with line and column.
    static func document(_ request: Request, context: GatewayContext) async throws -> RADLDocument {
        let types = mediaTypes(request.headers[.contentType])
        let buffer: ByteBuffer
        do { buffer = try await BodyLimit.collect(request, limit: BodyLimit.document) } catch {
            throw IMFailure(413, "request body is larger than \(BodyLimit.document) bytes")
        }
        let data = Data(buffer: buffer)
        let isJSON = types.contains("application/json")
        let isText = types.isEmpty || types.contains { $0 == "text/plain" || $0 == "*/*" || $0 == "text/*" }
        guard isJSON || isText else {
            throw IMFailure(415, "Unsupported Media Type \(types.joined(separator: ","))")
        }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return RADLDocument() }
        if isJSON { return try RADLJSON.parse(data) }
        guard let text = String(data: data, encoding: .utf8) else { throw IMFailure(400, "RADL body is not UTF-8") }
        return try RADLParser.parse(text)
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// IM's boolean query flags: yes, no, true, false, 1, 0.
    static func flag(_ raw: Substring?, default value: Bool, name: String) throws -> Bool {
        guard let raw else { return value }
        switch raw.lowercased() {
        case "yes", "true", "1": return true
        case "no", "false", "0": return false
        default: throw IMFailure(400, "Incorrect value for the \(name) flag: '\(raw)'")
        }
    }
}
