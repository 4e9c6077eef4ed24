import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Kimchi and virtualization-server see every machine")
struct KimchiCrossDialectTests {
    @Test("a VM made through Kimchi is listed and controlled through virtualization-server and the native API")
    func kimchiToOthers() async throws {
        try await KimchiFixture.run { client, _ in
            let vm = try await client.json(
                .post, "/kimchi/vms", json: #"{"name":"shared1","template":"/templates/demo"}"#, expect: .created)
            let uuid = try #require(vm["uuid"] as? String)
            let listed = try await client.list("/vserver/virtual_machines")
            #expect(listed.contains { $0["uuid"] as? String == uuid })
            let started = try await client.json(
                .patch, "/vserver/virtual_machines/\(uuid)", json: #"{"state":"started"}"#)
            #expect(started["state"] as? String == "running")
            #expect(try await client.json(.get, "/kimchi/vms/shared1")["state"] as? String == "running")
            let native = try await client.json(.post, "/api/v1/machines/local:shared1/actions/poweroff")
            #expect(native["state"] as? String == "shutoff")
            #expect(try await client.json(.get, "/vserver/virtual_machines/\(uuid)")["state"] as? String == "shut off")
            #expect(try await client.send(.delete, "/vserver/virtual_machines/\(uuid)").status == .ok)
            try await client.kimchiError(.get, "/kimchi/vms/shared1", expect: .notFound)
        }
    }

    @Test("machines made through virtualization-server and the native API appear in Kimchi")
    func othersToKimchi() async throws {
        try await KimchiFixture.run { client, _ in
            let made = try await client.json(
                .post, "/vserver/virtual_machines", json: #"{"cpu_count":2,"memory_size":262144}"#, expect: .created)
            let uuid = try #require(made["uuid"] as? String)
            _ = try await client.json(.post, "/api/v1/machines", json: #"{"name":"native1"}"#, expect: .created)
            let vms = try await client.list("/kimchi/vms")
            let fromVServer = try #require(vms.first { $0["uuid"] as? String == uuid })
            #expect(fromVServer["cpus"] as? Int == 2)
            #expect(fromVServer["memory"] as? Int == 256)
            let name = try #require(fromVServer["name"] as? String)
            #expect(try await client.json(.post, "/kimchi/vms/\(name)/start")["state"] as? String == "running")
            #expect(try await client.json(.get, "/vserver/virtual_machines/\(uuid)")["state"] as? String == "running")
            #expect(vms.contains { $0["name"] as? String == "native1" })
            #expect(try await client.send(.delete, "/kimchi/vms/native1").status == .noContent)
            _ = try await client.json(.get, "/api/v1/machines/native1", expect: .notFound)
        }
    }
}
