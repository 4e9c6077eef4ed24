import Foundation
import Gateway
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A gateway with every dialect mounted over the test-driver fixture, and the objects the
/// hostile-input probes address: a shut-off machine `m1`, a Comet cluster `c1` with VM `cv1`,
/// an IM infrastructure with one VM, a checked-out vmpooler VM and a volume `hvol`.
enum HostileGateway {
    static let imAuth =
        "id = im; type = InfrastructureManager; username = alice; password = secret\\nid = vg; type = vmgate; group = default"

    /// What the probes fill into their paths.
    struct Targets: Sendable {
        var vserverUUID = ""
        var infrastructure = ""
        var pooledHost = ""
    }

    static func configuration() -> GatewayConfiguration {
        var config = TestGateway.configuration()
        config.groups += [
            .init(name: "pool1", backends: ["local"], template: "demo", size: 1, options: ["vmpooler": "true"])
        ]
        config.dialects = try! ConfigurationLoader.parse(
            """
            dialects:
              - {name: native, options: {backendRoutes: "true"}}
              - {name: kimchi}
              - {name: virtualization-server}
              - {name: im}
              - {name: comet}
              - {name: vmpooler, options: {loopInterval: "0.05", experimentalFeatures: "true"}}
            """
        ).dialects
        return config
    }

    /// Creates the probes' targets and returns their identifiers.
    static func prepare(_ client: some TestClientProtocol) async throws -> Targets {
        var targets = Targets()
        try await expect(client.send(.post, "/api/v1/machines", json: #"{"name":"m1"}"#), .created)
        let machine = try await client.json(.get, "/api/v1/machines/m1")
        targets.vserverUUID = machine["uuid"] as? String ?? ""
        try await expect(client.send(.post, "/comet/cluster", json: #"{"name":"c1","size":0}"#), .created)
        try await expect(client.send(.post, "/comet/cluster/c1/vms", json: #"{"name":"cv1"}"#), .created)
        try await expect(
            client.send(
                .post, "/api/v1/storage/pools/vmgate/volumes", json: #"{"name":"hvol","capacityBytes":1048576}"#),
            .created)
        let radl = "system front ( memory.size >= 128m and disk.0.image.url = 'vmgate://gateway/demo' )\ndeploy front 1"
        let created = try await client.execute(
            uri: "/im/infrastructures", method: .post,
            headers: [.authorization: imAuth, .contentType: "text/plain", .accept: "text/uri-list"],
            body: ByteBuffer(string: radl)
        ) { ($0.status, String(buffer: $0.body)) }
        #expect(created.0 == .ok, "IM create: \(created.1)")
        targets.infrastructure = created.1.split(separator: "/").last.map(String.init) ?? ""
        // The backend-level spec probes' body is well formed: with sane numbers it creates a machine.
        let spec = Probes.spec(vcpus: "1", memory: "131072", disk: "1048576").replacingOccurrences(of: "{n}", with: "0")
        try await expect(client.send(.post, "/api/v1/backends/local/machines", json: spec), .created)
        targets.pooledHost = try await checkout(client)
        return targets
    }

    /// Waits until `pool1` has a ready VM and checks it out.
    private static func checkout(_ client: some TestClientProtocol) async throws -> String {
        for _ in 0..<200 {
            let (status, body, _) = try await client.send(.post, "/vmpooler/vm/pool1")
            if status == .ok,
                let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                let pool = object["pool1"] as? [String: Any], let host = pool["hostname"] as? String
            {
                return host.split(separator: ".").first.map(String.init) ?? host
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("pool1 never had a ready VM")
        return "none"
    }

    private static func expect(
        _ reply: (status: HTTPResponse.Status, body: ByteBuffer, headers: HTTPFields), _ status: HTTPResponse.Status,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status == status, "\(String(buffer: reply.body))", sourceLocation: sourceLocation)
    }
}
