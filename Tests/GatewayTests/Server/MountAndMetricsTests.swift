import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import Prometheus
import Testing

@testable import Gateway

/// Metrics can be bootstrapped once per process; this suite is the only one that does.
private let sharedRegistry: PrometheusCollectorRegistry = {
    let registry = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    return registry
}()

@Suite("Dialect mounts and Prometheus metrics")
struct MountAndMetricsTests {
    @Test("a dialect mounted at / serves its original paths")
    func rootMount() async throws {
        var config = TestGateway.configuration()
        config.dialects = [.init(name: "native", prefix: "/")]
        try await TestGateway.run(config) { client, _ in
            let list = try await client.json(.get, "/machines")
            #expect(list["total"] as? Int == 1)
            let index = try await client.json(.get, "/")
            #expect((index["dialects"] as? [[String: Any]])?.first?["prefix"] as? String == "/")
        }
    }

    @Test("a dialect on a port of its own is served there, not on the main listener")
    func ownPort() async throws {
        var config = TestGateway.configuration()
        config.dialects = [.init(name: "native", prefix: "/api/v1", port: 0)]
        try await TestGateway.run(config) { client, gateway in
            #expect(try await client.send(.get, "/api/v1/machines").status == .notFound)
            let listener = try #require(gateway.dialectListeners.first)
            try await listener.test(.live) { own in
                let list = try await own.json(.get, "/api/v1/machines")
                #expect(list["total"] as? Int == 1)
            }
        }
    }

    @Test("requests and backend calls show up in /metrics per dialect and route")
    func metrics() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let gateway = try await Gateway.build(
            configuration: TestGateway.configuration(), logger: logger, prometheus: sharedRegistry)
        try await gateway.application.test(.router) { client in
            _ = try await client.json(.get, "/api/v1/machines")
            _ = try await client.json(.get, "/api/v1/machines/ghost", expect: .notFound)
            let (_, body, _) = try await client.send(.get, "/metrics")
            let text = String(buffer: body)
            #expect(
                text.contains(
                    #"vmgate_http_requests_total{dialect="native",route="/api/v1/machines",method="GET",status="200"}"#)
            )
            #expect(text.contains(#"status="404""#))
            #expect(text.contains("vmgate_http_request_duration_seconds"))
            #expect(text.contains(#"vmgate_backend_call_duration_seconds_count{backend="local",operation="machines"}"#))
        }
        await gateway.close()
    }
}
