public import GatewayCore
public import Hummingbird

extension ImageSpool {
    /// Streams a request body into the spool chunk by chunk (never collecting it in memory) and
    /// finishes the spool; returns the byte count. A body past the spool's limit, announced by
    /// `Content-Length` or found while reading, is a 413 (Content Too Large).
    public func receive(_ request: Request) async throws -> Int {
        let tooLarge = HTTPError(.contentTooLarge, message: "an uploaded image must not be larger than \(limit) bytes")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        do {
            for try await buffer in request.body { try await append(buffer) }
        } catch is LimitExceeded {
            throw tooLarge
        }
        return try await finish()
    }
}
