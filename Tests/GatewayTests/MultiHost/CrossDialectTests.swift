import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

/// A machine of a proxied group, made through one dialect and driven through another.
@Suite("Multi-host: dialects over a proxy backend", .serialized)
struct CrossDialectTests {
    @Test("created through Kimchi in a group routed to the proxy, controlled through the native API and upstream")
    func kimchiThenNative() async throws {
        try await LiveGateway.with(TestGateway.configuration()) { upstream in
            var config = MultiHostConfig.withProxy(to: upstream.url)
            config.dialects.append(GatewayConfiguration.DialectMount(name: "kimchi", options: ["group": "edge"]))
            try await TestGateway.run(config) { client, _ in
                let (status, body, _) = try await client.send(
                    .post, "/kimchi/vms", json: #"{"name":"kx1","template":"/templates/demo"}"#)
                #expect([.created, .accepted].contains(status), "\(String(buffer: body))")
                let landed = try await eventually(seconds: 10) {
                    try await client.send(.get, "/api/v1/machines/remote:kx1").status == .ok
                }
                #expect(landed, "the Kimchi VM lands on the proxy backend of its group")
                let native = try await client.json(.get, "/api/v1/machines/remote:kx1")
                #expect(native["group"] as? String == "edge")
                #expect(try await upstream.gateway.fleet.machine("local:kx1").metadata.group == "edge")

                _ = try await client.json(.post, "/api/v1/machines/remote:kx1/actions/start")
                let vm = try await client.json(.get, "/kimchi/vms/kx1")
                #expect(vm["state"] as? String == "running")
                _ = try await client.json(.post, "/kimchi/vms/kx1/stop")
                #expect(try await upstream.gateway.fleet.machine("local:kx1").state == .shutoff)
                let names = try await client.list("/kimchi/vms").compactMap { $0["name"] as? String }
                #expect(names.contains("kx1"))
                #expect(try await client.send(.delete, "/kimchi/vms/kx1").status == .noContent)
                _ = try await client.json(.get, "/api/v1/machines/remote:kx1", expect: .notFound)
            }
        }
    }
}
