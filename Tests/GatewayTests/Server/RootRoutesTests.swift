import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

@Suite("Root routes, OpenAPI, persistence and degraded backends")
struct RootRoutesTests {
    @Test("index lists mounted dialects; healthz; metrics text; openapi document")
    func root() async throws {
        try await TestGateway.run { client, _ in
            let index = try await client.json(.get, "/")
            let dialects = index["dialects"] as? [[String: Any]] ?? []
            #expect(dialects.contains { $0["name"] as? String == "native" && $0["prefix"] as? String == "/api/v1" })
            let health = try await client.json(.get, "/healthz")
            #expect(health["status"] as? String == "ok")
            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            let openapi = try await client.json(.get, "/api/v1/openapi.json")
            #expect(openapi["openapi"] as? String == "3.1.0")
            let paths = openapi["paths"] as? [String: Any] ?? [:]
            #expect(paths["/machines/{id}/actions/{action}"] != nil)
            #expect(paths.count >= 20)
        }
    }

    @Test("a dialect can be mounted at another prefix")
    func customPrefix() async throws {
        var config = TestGateway.configuration()
        config.dialects = try ConfigurationLoader.parse("dialects: [{name: native, prefix: /v2/}]").dialects
        try await TestGateway.run(config) { client, _ in
            _ = try await client.json(.get, "/v2/machines")
            #expect(try await client.send(.get, "/api/v1/machines").status == .notFound)
        }
    }

    @Test("templates and tasks survive a restart of the gateway")
    func persistence() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vmgate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = TestGateway.configuration(store: directory.appendingPathComponent("store.sqlite").path)
        try await TestGateway.run(config) { client, _ in
            _ = try await client.json(.post, "/api/v1/templates", json: #"{"name":"kept","vcpus":2}"#, expect: .created)
        }
        try await TestGateway.run(config) { client, _ in
            let template = try await client.json(.get, "/api/v1/templates/kept")
            #expect(template["vcpus"] as? Int == 2)
        }
    }

    @Test("an unreachable backend degrades lists and health, and its calls answer 503 in time")
    func unreachableBackend() async throws {
        var config = TestGateway.configuration()
        var down = config.backends[0]
        down.name = "down"
        down.uri = "qemu+tcp://127.0.0.1:1/system"
        config.backends.append(down)
        config.callTimeoutSeconds = 3
        try await TestGateway.run(config) { client, _ in
            let started = ContinuousClock.now
            let list = try await client.json(.get, "/api/v1/machines")
            #expect(list["total"] as? Int == 1)
            #expect((list["warnings"] as? [String])?.first?.contains("down") == true)
            _ = try await client.json(.get, "/api/v1/machines/down:anything", expect: .serviceUnavailable)
            _ = try await client.json(
                .post, "/api/v1/machines", json: #"{"name":"x","backend":"down"}"#, expect: .serviceUnavailable)
            let health = try await client.json(.get, "/healthz")
            #expect(health["status"] as? String == "degraded")
            #expect(ContinuousClock.now - started < .seconds(20))
        }
    }
}
