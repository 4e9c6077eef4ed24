public import Hummingbird

/// Turns every error a dialect's route throws into that dialect's own error type, so clients
/// always get the dialect's native error body.
public struct DialectErrorMiddleware<DialectError: HTTPResponseError>: RouterMiddleware {
    public typealias Context = GatewayContext
    let convert: @Sendable (any Error) -> DialectError

    /// Creates the middleware; `convert` builds the dialect's error from any thrown error.
    public init(_ convert: @escaping @Sendable (any Error) -> DialectError) { self.convert = convert }

    public func handle(
        _ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response
    ) async throws -> Response {
        do { return try await next(request, context) } catch let error as DialectError { throw error } catch {
            throw convert(error)
        }
    }
}
