public import Hummingbird

/// Request body limits per route class. A body past its limit is refused with 413 (in the
/// dialect's own error format, through its error middleware) as soon as the declared length or
/// the bytes read so far pass the limit: it is never collected whole.
public enum BodyLimit {
    /// JSON request bodies (every JSON route).
    public static let json = 1 << 20
    /// Documents: IM's RADL, machine definitions.
    public static let document = 8 << 20

    /// The request's body, at most `limit` bytes; `HTTPError(.contentTooLarge)` past it.
    public static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw tooLarge(limit)
        }
        var request = request
        do { return try await request.collectBody(upTo: limit) } catch let error as HTTPError
            where error.status == .contentTooLarge
        {
            throw tooLarge(limit)
        }
    }

    static func tooLarge(_ limit: Int) -> HTTPError {
        HTTPError(.contentTooLarge, message: "request body is larger than \(limit) bytes")
    }
}
