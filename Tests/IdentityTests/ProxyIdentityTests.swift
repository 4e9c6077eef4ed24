import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Spec
import Testing

@testable import Gateway

@Suite("Identity: proxy chains")
struct ProxyIdentityTests {
    /// The test gateway with a proxy backend `remote` (group `edge`) to `url` sending `token`.
    static func downstream(url: String, token: String) throws -> GatewayConfiguration {
        var config = TestGateway.configuration()
        config.backends += try ConfigurationLoader.parse(
            """
            backends:
              - name: remote
                type: proxy
                url: "\(url)"
                upstreamBackend: local
                token: "\(token)"
                defaultPool: vmgate
                network: default
                connectTimeoutSeconds: 1
                timeoutSeconds: 4
            """
        ).backends
        config.groups.append(.init(name: "edge", backends: ["remote"], template: "demo"))
        return config
    }

    @Test("an upstream with users checks the proxy's bearer token: right works, wrong is a clear 503")
    func bearerChain() async throws {
        var upstreamConfig = Identity.configuration(dialects: "dialects: [{name: native}]")
        upstreamConfig.auth = "required"
        try await LiveGateway.with(upstreamConfig) { upstream in
            try await upstream.gateway.fleet.store.saveToken(Token(value: "proxy-token-1", user: "root"))
            try await TestGateway.run(try Self.downstream(url: upstream.url, token: "proxy-token-1")) { client, _ in
                let created = try await client.json(
                    .post, "/api/v1/machines", json: #"{"name":"edge1","group":"edge"}"#, expect: .created)
                #expect(created["id"] as? String == "remote:edge1")
                #expect(try await upstream.gateway.fleet.machine("local:edge1").metadata.group == "edge")
            }
            try await TestGateway.run(try Self.downstream(url: upstream.url, token: "wrong")) { client, _ in
                let refused = try await client.json(
                    .post, "/api/v1/machines", json: #"{"name":"edge2","group":"edge"}"#,
                    expect: .serviceUnavailable)
                let message = (refused["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains("refused this proxy backend's credentials"), "\(message)")
            }
            let names = await upstream.gateway.fleet.machines().machines.map(\.name)
            #expect(names.contains("edge1") && !names.contains("edge2"), "\(names)")
        }
    }
}
