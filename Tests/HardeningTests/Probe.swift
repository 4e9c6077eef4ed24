import GatewayTestSupport
import HTTPTypes

/// One numeric field of one route, sent every hostile value in turn.
///
/// `path` and `body` are templates: `{v}` is the hostile value, `{n}` a number unique to the
/// request (so names never clash), `{uuid}`, `{inf}` and `{host}` the prepared targets.
struct Probe: Sendable, CustomStringConvertible {
    var format: ErrorFormat
    var method: HTTPRequest.Method
    var path: String
    var body: String?
    var contentType = "application/json"
    /// The values sent: numbers, plus the NaN/Infinity strings where the field takes strings.
    var values: [HostileValue] = HostileValue.numbers
    /// Values for which success is the right answer (`0` where zero is a valid size).
    var accepted: Set<HostileValue> = []

    var description: String { "\(format) \(method) \(path) \(body ?? "")" }

    /// The probe with string values too (the field is a string, or text such as RADL or a query).
    func withStrings() -> Probe {
        var copy = self
        copy.values += HostileValue.strings
        return copy
    }

    func accepting(_ values: HostileValue...) -> Probe {
        var copy = self
        copy.accepted.formUnion(values)
        return copy
    }
}

extension Probe {
    static func native(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) -> Probe {
        Probe(format: .native, method: method, path: "/api/v1" + path, body: body)
    }
    static func kimchi(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) -> Probe {
        Probe(format: .kimchi, method: method, path: "/kimchi" + path, body: body)
    }
    static func vserver(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) -> Probe {
        Probe(format: .vserver, method: method, path: "/vserver" + path, body: body)
    }
    static func comet(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) -> Probe {
        Probe(format: .comet, method: method, path: "/comet" + path, body: body)
    }
    static func vmpooler(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) -> Probe {
        Probe(format: .vmpooler, method: method, path: "/vmpooler" + path, body: body)
    }
    static func im(_ method: HTTPRequest.Method, _ path: String, radl: String) -> Probe {
        Probe(format: .im, method: method, path: "/im" + path, body: radl, contentType: "text/plain").withStrings()
    }
    static func imJSON(_ method: HTTPRequest.Method, _ path: String, _ body: String) -> Probe {
        Probe(format: .im, method: method, path: "/im" + path, body: body)
    }
}
