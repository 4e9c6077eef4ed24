public import Foundation
import HTTPTypes
public import Hummingbird
import Spec

/// JSON in and out, with errors a client can act on.
public enum JSONWire {
    /// Shared encoder settings (ISO-8601 dates).
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    /// A JSON response with `status`.
    public static func response(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
        encoder: JSONEncoder = makeEncoder()
    ) throws -> Response {
        let data = try encoder.encode(value)
        return bytes(data, status: status, headers: headers)
    }

    /// A response with pre-encoded JSON bytes.
    public static func bytes(
        _ data: some Sequence<UInt8>, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
        contentType: String = "application/json; charset=utf-8"
    ) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    /// Decodes a JSON request body; an empty body decodes as `{}` when `T` allows it.
    public static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: GatewayContext
    ) async throws -> T {
        let buffer = try await BodyLimit.collect(request, limit: BodyLimit.json)
        var data = Data(buffer: buffer)
        if !data.isEmpty { try requireJSON(request) }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { data = Data("{}".utf8) }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw SpecError.invalid(describe(error))
        } catch {
            throw SpecError.invalid("request body is not valid JSON")
        }
    }

    /// 415 unless a request body is declared as JSON. Bodies without a type, and form-encoded
    /// bodies from clients that are not browsers (`curl -d`, Ruby's Faraday), are read as JSON;
    /// the types a web page can send without asking (`text/plain`, `multipart/form-data`, and
    /// forms from a browser) are refused, so a page cannot create machines by cross-site request.
    public static func requireJSON(_ request: Request) throws {
        guard let declared = request.headers[.contentType] else { return }
        let media =
            declared.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if media == "application/json" || media.hasSuffix("+json") { return }
        let browser = request.headers[.origin] != nil || request.headers[HTTPField.Name("Sec-Fetch-Site")!] != nil
        if media == "application/x-www-form-urlencoded" && !browser { return }
        throw HTTPError(
            .unsupportedMediaType, message: "request bodies here are JSON; got Content-Type '\(declared.prefix(100))'")
    }

    /// A one-line explanation of a decoding error, naming the field.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let joined = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return joined.isEmpty ? "body" : "'" + String(joined.drop { $0 == "." }) + "'"
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) must be \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) must be \(typeName(type)), not null"
        case .keyNotFound(let key, let context):
            return "missing required field \(path(context.codingPath + [key]))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "request body is not valid JSON" }
            return "\(path(context.codingPath)) is invalid: \(context.debugDescription)"
        @unknown default:
            return "request body could not be decoded"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
