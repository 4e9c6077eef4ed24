import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

/// gateway → (proxy backend over libcurl) → gateway → libvirt test driver.
@Suite("Multi-host: proxy chain", .serialized)
struct ProxyChainTests {
    @Test("a group routed to a proxy backend lands upstream, and both gateways see and control the machine")
    func routedThroughProxy() async throws {
        try await LiveGateway.with(TestGateway.configuration()) { upstream in
            try await TestGateway.run(MultiHostConfig.withProxy(to: upstream.url)) { client, _ in
                let created = try await client.json(
                    .post, "/api/v1/machines", json: #"{"name":"edge1","group":"edge","tags":{"team":"blue"}}"#,
                    expect: .created)
                #expect(created["id"] as? String == "remote:edge1")
                #expect(created["backend"] as? String == "remote")
                #expect(created["group"] as? String == "edge")
                let local = try await client.json(
                    .post, "/api/v1/machines", json: #"{"name":"home1"}"#, expect: .created)
                #expect(local["id"] as? String == "local:home1")

                // The upstream holds it under its own backend's name, with the metadata intact.
                let up = try await upstream.gateway.fleet.machine("local:edge1")
                #expect(up.metadata.group == "edge")
                #expect(up.metadata.tags["team"] == "blue")
                #expect(up.disks.first?.ownedByGateway == true)

                // Controlled downstream, seen upstream; controlled upstream, seen downstream.
                let started = try await client.json(.post, "/api/v1/machines/remote:edge1/actions/start")
                #expect(started["state"] as? String == "running")
                #expect(try await upstream.gateway.fleet.machine("local:edge1").state == .running)
                _ = try await upstream.gateway.fleet.perform(.suspend, on: "local:edge1")
                #expect(try await client.json(.get, "/api/v1/machines/remote:edge1")["state"] as? String == "paused")
                let conflict = try await client.json(
                    .post, "/api/v1/machines/remote:edge1/actions/suspend", expect: .conflict)
                #expect((conflict["error"] as? [String: Any])?["kind"] as? String == "conflict")

                // Lists merge both backends; ids stay unique.
                let list = try await client.json(.get, "/api/v1/machines")
                let ids = (list["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(ids.contains("remote:edge1") && ids.contains("local:home1"))
                #expect(ids.contains("remote:fixture-one") && ids.contains("local:fixture-one"))
                #expect(Set(ids).count == ids.count)
                #expect((list["warnings"] as? [Any])?.isEmpty ?? true)
                let edge = try await client.json(.get, "/api/v1/machines?group=edge")
                #expect(edge["total"] as? Int == 1)

                // Upstream errors keep their kind through the hop.
                _ = try await client.json(.get, "/api/v1/machines/remote:nope", expect: .notFound)
                _ = try await client.json(
                    .patch, "/api/v1/machines/remote:edge1", json: #"{"vcpus":2}"#, expect: .conflict)

                #expect(try await client.send(.delete, "/api/v1/machines/remote:edge1").status == .noContent)
                await #expect(throws: (any Error).self) { _ = try await upstream.gateway.fleet.machine("local:edge1") }
            }
        }
    }

    @Test("hosts view: kind, redacted endpoint, health, capacity and machine counts of both kinds")
    func hostsView() async throws {
        try await LiveGateway.with(TestGateway.configuration()) { upstream in
            var config = MultiHostConfig.withProxy(to: upstream.url)
            let secretURL = upstream.url.replacingOccurrences(of: "http://", with: "http://ops:s3cret@")
            config.backends.append(MultiHostConfig.proxy("secret", url: secretURL))
            try await TestGateway.run(config) { client, _ in
                let (status, body, _) = try await client.send(.get, "/api/v1/backends")
                #expect(status == .ok)
                let text = String(buffer: body)
                #expect(!text.contains("s3cret"))
                let list = try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [[String: Any]])
                let byName = Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "", $0) })
                let remote = try #require(byName["remote"])
                #expect(remote["kind"] as? String == "proxy")
                #expect(remote["endpoint"] as? String == "\(upstream.url)#local")
                #expect(
                    byName["secret"]?["endpoint"] as? String == "http://ops:***@127.0.0.1:\(upstream.port)/api/v1#local"
                )
                #expect(byName["local"]?["kind"] as? String == "libvirt")
                for entry in [remote, try #require(byName["local"])] {
                    let health = try #require(entry["health"] as? [String: Any])
                    #expect(health["healthy"] as? Bool == true, "\(entry)")
                    #expect(health["latencySeconds"] as? Double != nil, "\(entry)")
                    let host = try #require(entry["host"] as? [String: Any], "\(entry)")
                    #expect((host["cpus"] as? Int ?? 0) > 0)
                    #expect((host["memoryKiB"] as? Int ?? 0) > 0)
                    #expect(host["freeStorageBytes"] as? Int != nil)
                    #expect((entry["machines"] as? [String: Int])?["running"] == 1, "\(entry)")
                }
                let capabilities = remote["capabilities"] as? [String] ?? []
                #expect(capabilities.contains("snapshots") && capabilities.contains("storage"))
                #expect(!capabilities.contains("events"), "events are polled, not announced")
            }
        }
    }

    @Test("upstream gateway goes away: 503 fast, partial lists, unhealthy; recovers when it returns; store kept")
    func upstreamOutage() async throws {
        let upstream = try await LiveGateway.start(TestGateway.configuration())
        let port = upstream.port
        let restarted = LiveSlot()
        try await TestGateway.run(MultiHostConfig.withProxy(to: upstream.url)) { client, gateway in
            try await gateway.fleet.store.setValue(Data("kept".utf8), namespace: "multihost", key: "probe")
            _ = try await client.json(.get, "/api/v1/machines/remote:fixture-one")
            await upstream.stop()

            let started = ContinuousClock.now
            let down = try await client.json(.get, "/api/v1/machines/remote:fixture-one", expect: .serviceUnavailable)
            #expect((down["error"] as? [String: Any])?["kind"] as? String == "unavailable")
            #expect(ContinuousClock.now - started < .seconds(5), "fails within the configured timeout")
            _ = try await client.json(
                .post, "/api/v1/machines", json: #"{"name":"lost","group":"edge"}"#, expect: .serviceUnavailable)
            let list = try await client.json(.get, "/api/v1/machines")
            let ids = (list["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids.contains("local:fixture-one"), "other backends keep serving")
            #expect(!ids.contains { $0.hasPrefix("remote:") })
            let warnings = list["warnings"] as? [String] ?? []
            #expect(warnings.contains { $0.contains("remote") }, "\(warnings)")
            let status = try await client.json(.get, "/api/v1/backends/remote")
            let health = status["health"] as? [String: Any] ?? [:]
            #expect(health["healthy"] as? Bool == false)
            #expect((health["lastError"] as? String)?.isEmpty == false)

            await restarted.set(try await LiveGateway.start(TestGateway.configuration(), port: port))
            let machine = try await client.json(.get, "/api/v1/machines/remote:fixture-one")
            #expect(machine["state"] as? String == "running")
            let recovered = try await client.json(.get, "/api/v1/backends/remote")
            #expect((recovered["health"] as? [String: Any])?["healthy"] as? Bool == true)
            #expect(try await gateway.fleet.store.value(namespace: "multihost", key: "probe") == Data("kept".utf8))
        }
        await restarted.value?.stop()
    }
}

/// Holds a gateway started inside a test body, to stop it afterwards.
actor LiveSlot {
    private(set) var value: LiveGateway?
    func set(_ live: LiveGateway) { value = live }
}
