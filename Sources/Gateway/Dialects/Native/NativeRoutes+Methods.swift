import DialectKit
import HTTPTypes
import Hummingbird

extension NativeDialect {
    /// Methods the OpenAPI document does not list for one of its paths answer 405 with the
    /// methods it does list in `Allow` (OPTIONS: 204 with `Allow`), instead of an empty 404.
    func addMethodNotAllowedRoutes(to routes: RouteCollection<GatewayContext>) {
        let methods: [HTTPRequest.Method] =
            [.get, .put, .post, .delete, .patch, .options, .trace]
            + [HTTPRequest.Method("QUERY")].compactMap { $0 }
        for (path, allowed) in NativeOpenAPI.methodsByRoute {
            let allow = allowed.joined(separator: ", ")
            for method in methods where !allowed.contains(method.rawValue) {
                routes.on(RouterPath(path), method: method) { request, _ in
                    if request.method == .options { return Response(status: .noContent, headers: [.allow: allow]) }
                    let body = NativeErrorBody(
                        error: .init(
                            code: 405, kind: "invalid",
                            message: "\(request.method.rawValue) is not allowed here; allowed: \(allow)"))
                    return try JSONWire.response(body, status: .methodNotAllowed, headers: [.allow: allow])
                }
            }
        }
    }
}
