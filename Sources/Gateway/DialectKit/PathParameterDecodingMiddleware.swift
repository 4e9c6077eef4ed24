import Foundation
public import Hummingbird
import Spec

/// Percent-decodes the path parameters of a route before its handler reads them (Hummingbird
/// hands them over as they appear in the URI), so `local%3Aweb1` names machine `local:web1`.
/// A parameter that is not valid percent-encoded UTF-8 is `invalid`.
public struct PathParameterDecodingMiddleware: RouterMiddleware {
    public typealias Context = GatewayContext

    /// Creates the middleware.
    public init() {}

    public func handle(
        _ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response
    ) async throws -> Response {
        guard context.parameters.contains(where: { $0.value.contains("%") }) else {
            return try await next(request, context)
        }
        var decoded = Parameters()
        for (key, value) in context.parameters {
            guard let text = String(value).removingPercentEncoding else {
                throw SpecError.invalid("the path segment '\(value)' is not valid percent-encoded UTF-8")
            }
            decoded.append(key: key, value: Substring(text))
        }
        var context = context
        context.coreContext.parameters = decoded
        return try await next(request, context)
    }
}
