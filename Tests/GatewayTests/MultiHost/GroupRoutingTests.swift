import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Spec
import Testing

@testable import Gateway

/// Groups moved between backends in configuration, and what the gateway says about it.
@Suite("Multi-host: group routing", .serialized)
struct GroupRoutingTests {
    @Test("a group moved to another backend reports the machines left behind as unreachable")
    func movedGroup() async throws {
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("vmgate-routing-\(UUID()).sqlite")
            .path
        defer { try? FileManager.default.removeItem(atPath: store) }
        try await LiveGateway.with(TestGateway.configuration()) { upstream in
            // First run: `edge` routed to the proxy backend `remote`; one machine lands there.
            try await TestGateway.run(MultiHostConfig.withProxy(to: upstream.url, store: store)) { client, _ in
                let created = try await client.json(
                    .post, "/api/v1/machines", json: #"{"name":"stay","group":"edge"}"#, expect: .created)
                #expect(created["id"] as? String == "remote:stay")
                let routing = try await client.json(.get, "/api/v1/groups/edge/routing")
                #expect(routing["backends"] as? [String] == ["remote"])
                #expect(routing["routedMachines"] as? Int == 1)
                #expect((routing["unreachableMachines"] as? [Any])?.isEmpty == true)
            }
            // Second run: `edge` moved to `local`. The old machine is still listed and controllable
            // by id, but reported as outside the group's routing; new machines go to `local`.
            var moved = MultiHostConfig.withProxy(to: upstream.url, store: store)
            moved.groups = moved.groups.map { $0.name == "edge" ? MultiHostConfig.group("edge", ["local"]) : $0 }
            try await TestGateway.run(moved) { client, gateway in
                let routing = try await client.json(.get, "/api/v1/groups/edge/routing")
                #expect(routing["backends"] as? [String] == ["local"])
                let strays = routing["unreachableMachines"] as? [[String: Any]] ?? []
                #expect(strays.map { $0["id"] as? String } == ["remote:stay"])
                #expect(strays.first?["backend"] as? String == "remote")
                let report = await gateway.fleet.routingReport()
                #expect(report.first { $0.name == "edge" }?.unreachableMachines.map(\.id) == ["remote:stay"])
                #expect(report.first { $0.name == "default" }?.unreachableMachines.isEmpty == true)

                let next = try await client.json(
                    .post, "/api/v1/machines", json: #"{"name":"fresh","group":"edge"}"#, expect: .created)
                #expect(next["id"] as? String == "local:fresh")
                _ = try await client.json(.post, "/api/v1/machines/remote:stay/actions/start")
                #expect(try await client.send(.delete, "/api/v1/machines/remote:stay").status == .noContent)
                let after = try await client.json(.get, "/api/v1/groups/edge/routing")
                #expect((after["unreachableMachines"] as? [Any])?.isEmpty == true)
                #expect(after["routedMachines"] as? Int == 1)
                _ = try await client.json(.get, "/api/v1/groups/nope/routing", expect: .notFound)
            }
        }
    }
}
