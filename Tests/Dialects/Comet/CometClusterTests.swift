import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Comet clusters")
struct CometClusterTests {
    @Test("create, read, update and list clusters")
    func crud() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            #expect(try await client.list("/comet/cluster").isEmpty)
            let created = try await client.json(
                .post, "/comet/cluster", json: #"{"name":"c1","template":"demo","size":2,"backend":"local"}"#,
                expect: .created)
            #expect(created["name"] as? String == "c1")
            #expect(created["size"] as? Int == 2)
            #expect(created["state"] as? String == "shutoff")
            #expect((created["vms"] as? [[String: Any]])?.count == 2)
            #expect(created["backends"] as? [String] == ["local"])
            let (_, _, headers) = try await client.send(.get, "/comet/cluster/c1")
            _ = headers
            let cluster = try await client.json(.get, "/comet/cluster/c1")
            #expect((cluster["counts"] as? [String: Int])?["shutoff"] == 2)
            #expect(cluster["href"] as? String == "/comet/cluster/c1")
            #expect(try await client.list("/comet/cluster").map { $0["name"] as? String } == ["c1"])
            // Cluster VMs are ordinary machines: the native API sees them in the group.
            #expect(try await client.json(.get, "/api/v1/machines?group=c1")["total"] as? Int == 2)

            let updated = try await client.json(.put, "/comet/cluster/c1", json: #"{"size":5}"#)
            #expect(updated["size"] as? Int == 5)
            #expect((updated["vms"] as? [[String: Any]])?.count == 2, "PUT must not create or remove VMs")
            #expect(updated["state"] as? String == "shutoff", "PUT must not change live state")
        }
    }

    @Test("bad cluster input gets Kimchi-style 4xx and changes nothing")
    func badInput() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            try await client.expectError(.get, "/comet/cluster/nope", .notFound)
            try await client.expectError(.post, "/comet/cluster/nope/start", .notFound)
            try await client.expectError(.get, "/comet/cluster/nope/vms", .notFound)
            try await client.expectError(.post, "/comet/cluster", json: #"{"name":"bad name"}"#, .badRequest)
            try await client.expectError(.post, "/comet/cluster", json: #"{"size":1}"#, .badRequest)
            try await client.expectError(.post, "/comet/cluster", json: #"{"name":"c2","template":"none"}"#, .notFound)
            try await client.expectError(.post, "/comet/cluster", json: #"{"name":"c2","backend":"mars"}"#, .badRequest)
            try await client.expectError(.post, "/comet/cluster", json: #"{"name":"c2","size":-1}"#, .badRequest)
            #expect(try await client.list("/comet/cluster").isEmpty)
            // An existing (non-cluster) group name is taken.
            try await client.expectError(.post, "/comet/cluster", json: #"{"name":"default"}"#, .conflict)
            // ...but is not a cluster.
            try await client.expectError(.get, "/comet/cluster/default", .notFound)
            _ = try await client.json(.post, "/comet/cluster", json: #"{"name":"c2"}"#, expect: .created)
            try await client.expectError(.post, "/comet/cluster", json: #"{"name":"c2"}"#, .conflict)
            try await client.expectError(.put, "/comet/cluster/c2", json: #"{"template":"none"}"#, .notFound)
            try await client.expectError(.put, "/comet/cluster/c2", json: #"{"name":"other"}"#, .badRequest)
            try await client.expectError(.put, "/comet/cluster/c2", json: #"{"size":"big"}"#, .badRequest)
            let unchanged = try await client.json(.get, "/comet/cluster/c2")
            #expect(unchanged["size"] as? Int == 0)
            #expect(unchanged["template"] == nil)
        }
    }

    @Test("start and stop act on every VM; delete refuses while VMs run unless forced")
    func actionsAndDelete() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            _ = try await client.json(
                .post, "/comet/cluster", json: #"{"name":"c3","template":"demo","size":3}"#, expect: .created)
            let started = try await client.json(.post, "/comet/cluster/c3/start")
            #expect((started["vms"] as? [[String: Any]])?.allSatisfy { $0["state"] as? String == "running" } == true)
            #expect(try await client.json(.get, "/comet/cluster/c3")["state"] as? String == "running")
            // Starting again is a no-op for running VMs.
            _ = try await client.json(.post, "/comet/cluster/c3/start")

            try await client.expectError(.delete, "/comet/cluster/c3", .conflict)
            try await client.expectError(.delete, "/comet/cluster/c3", json: #"{"force":false}"#, .conflict)
            #expect((try await client.json(.get, "/comet/cluster/c3")["vms"] as? [Any])?.count == 3)

            let stopped = try await client.json(.post, "/comet/cluster/c3/stop", json: #"{"timeout":5}"#)
            #expect((stopped["vms"] as? [[String: Any]])?.allSatisfy { $0["state"] as? String == "shutoff" } == true)
            let cluster = try await client.json(.get, "/comet/cluster/c3")
            #expect(cluster["state"] as? String == "shutoff")
            #expect((cluster["vms"] as? [Any])?.count == 3, "stopped VMs stay members")
            // Released: gone from the host, so the native API no longer lists them.
            #expect(try await client.json(.get, "/api/v1/machines?group=c3")["total"] as? Int == 0)

            _ = try await client.json(.post, "/comet/cluster/c3/start")
            #expect(try await client.json(.get, "/api/v1/machines?group=c3&state=running")["total"] as? Int == 3)
            #expect(try await client.send(.delete, "/comet/cluster/c3?force=true").status == .noContent)
            try await client.expectError(.get, "/comet/cluster/c3", .notFound)
            #expect(try await client.json(.get, "/api/v1/machines?group=c3")["total"] as? Int == 0)
        }
    }

    @Test("a cluster action reports the VMs it failed on")
    func perVMFailures() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            _ = try await client.json(
                .post, "/comet/cluster", json: #"{"name":"c4","template":"demo"}"#, expect: .created)
            for name in ["a", "b", "c"] {
                _ = try await client.json(
                    .post, "/comet/cluster/c4/vms", json: #"{"name":"\#(name)"}"#, expect: .created)
            }
            _ = try await client.json(.post, "/comet/cluster/c4/vms/b/start")
            _ = try await client.json(.post, "/api/v1/machines/local:b/actions/suspend")
            let body = try await client.json(.post, "/comet/cluster/c4/start", expect: .conflict)
            #expect(body["code"] as? Int == 409)
            #expect((body["reason"] as? String)?.contains("b:") == true)
            let failures = body["failures"] as? [[String: Any]] ?? []
            #expect(failures.map { $0["name"] as? String } == ["b"])
            // The other VMs were still started.
            let vms = try await client.list("/comet/cluster/c4/vms")
            #expect(
                Dictionary(uniqueKeysWithValues: vms.map { ($0["name"] as! String, $0["state"] as! String) })
                    == ["a": "running", "b": "paused", "c": "running"])
        }
    }

    @Test("a 20-VM cluster starts and stops concurrently")
    func twentyVMs() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            _ = try await client.json(
                .post, "/comet/cluster", json: #"{"name":"big","template":"demo","size":20}"#, expect: .created)
            let started = try await client.json(.post, "/comet/cluster/big/start")
            #expect((started["vms"] as? [Any])?.count == 20)
            #expect(try await client.json(.get, "/comet/cluster/big")["state"] as? String == "running")
            let stopped = try await client.json(.post, "/comet/cluster/big/stop")
            #expect((stopped["vms"] as? [[String: Any]])?.allSatisfy { $0["state"] as? String == "shutoff" } == true)
            #expect(try await client.send(.delete, "/comet/cluster/big").status == .noContent)
        }
    }
}
