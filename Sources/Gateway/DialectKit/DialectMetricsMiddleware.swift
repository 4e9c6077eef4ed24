public import Hummingbird
import Metrics

/// Counts and times every request of one dialect, by route template and status.
public struct DialectMetricsMiddleware: RouterMiddleware {
    public typealias Context = GatewayContext
    let dialect: String

    /// Creates the middleware for `dialect`.
    public init(dialect: String) { self.dialect = dialect }

    public func handle(
        _ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let status: Int
        do {
            let response = try await next(request, context)
            status = Int(response.status.code)
            record(request, context, status, started)
            return response
        } catch {
            status = Int((error as? any HTTPResponseError)?.status.code ?? 500)
            record(request, context, status, started)
            throw error
        }
    }

    private func record(
        _ request: Request, _ context: GatewayContext, _ status: Int, _ started: ContinuousClock.Instant
    ) {
        let route = context.endpointPath ?? "unmatched"
        Counter(
            label: "vmgate_http_requests_total",
            dimensions: [
                ("dialect", dialect), ("route", route), ("method", request.method.rawValue), ("status", "\(status)"),
            ]
        ).increment()
        Timer(
            label: "vmgate_http_request_duration_seconds",
            dimensions: [("dialect", dialect), ("route", route), ("method", request.method.rawValue)],
            preferredDisplayUnit: .seconds
        ).record(duration: ContinuousClock.now - started)
    }
}
