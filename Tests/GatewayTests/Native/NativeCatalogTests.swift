import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

@Suite("Native API: templates, groups, storage, tasks, backends")
struct NativeCatalogTests {
    @Test("templates CRUD with validation")
    func templates() async throws {
        try await TestGateway.run { client, _ in
            #expect(try await client.list("/api/v1/templates").map { $0["name"] as? String } == ["demo"])
            let body =
                #"{"name":"big","vcpus":2,"memoryMiB":512,"disks":[{"index":0,"sizeGiB":2}],"osDistro":"debian"}"#
            _ = try await client.json(.post, "/api/v1/templates", json: body, expect: .created)
            _ = try await client.json(.post, "/api/v1/templates", json: body, expect: .conflict)
            let updated = try await client.json(.put, "/api/v1/templates/big", json: #"{"name":"big","vcpus":4}"#)
            #expect(updated["vcpus"] as? Int == 4)
            #expect(updated["memoryMiB"] as? Int == 512)
            _ = try await client.json(
                .put, "/api/v1/templates/big", json: #"{"name":"big","vcpus":500}"#, expect: .badRequest)
            _ = try await client.json(
                .post, "/api/v1/templates", json: #"{"name":"nodisk","disks":[{"index":0}]}"#, expect: .badRequest)
            _ = try await client.json(.post, "/api/v1/templates", json: #"{"name":"bad name"}"#, expect: .badRequest)
            let machine = try await client.json(
                .post, "/api/v1/machines", json: #"{"template":"big"}"#, expect: .created)
            #expect((machine["name"] as? String)?.hasPrefix("big-") == true)
            #expect(machine["vcpus"] as? Int == 4)
            #expect(try await client.send(.delete, "/api/v1/templates/big").status == .noContent)
            _ = try await client.json(.get, "/api/v1/templates/big", expect: .notFound)
        }
    }

    @Test("groups report their members")
    func groups() async throws {
        try await TestGateway.run { client, _ in
            _ = try await client.json(.post, "/api/v1/machines", json: #"{"name":"g1"}"#, expect: .created)
            let group = try await client.json(.get, "/api/v1/groups/default")
            #expect(group["machines"] as? Int == 1)
            #expect(group["backends"] as? [String] == ["local"])
            _ = try await client.json(.get, "/api/v1/groups/none", expect: .notFound)
        }
    }

    @Test("storage pools and volumes")
    func storage() async throws {
        try await TestGateway.run { client, _ in
            let pools = try await client.list("/api/v1/storage/pools")
            #expect(pools.contains { $0["name"] as? String == "vmgate" && $0["active"] as? Bool == true })
            let created = try await client.json(
                .post, "/api/v1/storage/pools/vmgate/volumes", json: #"{"name":"data1.qcow2","capacityBytes":1048576}"#,
                expect: .created)
            #expect(created["capacityBytes"] as? Int == 1_048_576)
            _ = try await client.json(
                .post, "/api/v1/storage/pools/vmgate/volumes", json: #"{"name":"data1.qcow2","capacityBytes":1048576}"#,
                expect: .conflict)
            _ = try await client.json(
                .post, "/api/v1/storage/pools/vmgate/volumes", json: #"{"name":"tiny","capacityBytes":5}"#,
                expect: .badRequest)
            _ = try await client.json(.get, "/api/v1/storage/pools/nope/volumes", expect: .notFound)
            #expect(
                try await client.send(.delete, "/api/v1/storage/pools/vmgate/volumes/data1.qcow2").status == .noContent)
            _ = try await client.json(.post, "/api/v1/storage/pools/vmgate/actions/explode", expect: .badRequest)
        }
    }

    @Test("backends report health, capacity and machine counts; tasks list")
    func backendsAndTasks() async throws {
        try await TestGateway.run { client, _ in
            let backends = try await client.list("/api/v1/backends")
            let local = try #require(backends.first)
            #expect(local["name"] as? String == "local")
            #expect((local["health"] as? [String: Any])?["healthy"] as? Bool == true)
            #expect(((local["host"] as? [String: Any])?["cpus"] as? Int ?? 0) > 0)
            #expect((local["machines"] as? [String: Int])?["running"] == 1)
            #expect(!((local["endpoint"] as? String) ?? "").isEmpty)
            _ = try await client.json(.get, "/api/v1/backends/nope", expect: .notFound)
            #expect(try await client.list("/api/v1/tasks").isEmpty)
            _ = try await client.json(.get, "/api/v1/tasks/42", expect: .notFound)
        }
    }
}
