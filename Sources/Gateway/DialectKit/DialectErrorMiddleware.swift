import GatewayCore
public import Hummingbird
import Logging
import Spec

/// Turns every error a dialect's route throws into that dialect's own error type, so clients
/// always get the dialect's native error body, and logs it in one line with the request:
/// the body carries the client-facing message only, the log also the cause.
public struct DialectErrorMiddleware<DialectError: HTTPResponseError>: RouterMiddleware {
    public typealias Context = GatewayContext
    let convert: @Sendable (any Error) -> DialectError

    /// Creates the middleware; `convert` builds the dialect's error from any thrown error.
    public init(_ convert: @escaping @Sendable (any Error) -> DialectError) { self.convert = convert }

    public func handle(
        _ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response
    ) async throws -> Response {
        do { return try await next(request, context) } catch let error as DialectError {
            context.logger.debug(
                "request refused", metadata: Self.metadata(request, status: error.status))
            throw error
        } catch {
            let (status, spec) = SpecError.classify(error)
            context.logger.failure(spec, "request failed", metadata: Self.metadata(request, status: status))
            // Headers an HTTP error carries (`WWW-Authenticate` on a 401) stay on the dialect's answer.
            guard let http = error as? HTTPError, !http.headers.isEmpty else { throw convert(error) }
            var response = try convert(error).response(from: request, context: context)
            for field in http.headers where response.headers[field.name] == nil { response.headers.append(field) }
            return response
        }
    }

    static func metadata(_ request: Request, status: HTTPResponse.Status) -> Logger.Metadata {
        [
            "http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path)",
            "http.status": "\(status.code)",
        ]
    }
}
