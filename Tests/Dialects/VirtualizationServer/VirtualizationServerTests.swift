import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("virtualization-server: /virtual_machines")
struct VirtualizationServerTests {
    static func isUUID(_ value: Any?, version: Character? = nil) -> Bool {
        guard let text = value as? String, UUID(uuidString: text) != nil else { return false }
        return version.map { Array(text)[14] == $0 } ?? true
    }

    @Test("create returns 201 with the seed's shape; get by uuid; list shows every machine")
    func createAndRead() async throws {
        try await VServerFixture.run { client, _ in
            let (status, body, headers) = try await client.send(
                .post, "/vserver/virtual_machines", json: #"{"cpu_count": 2, "memory_size": 8388608}"#)
            #expect(status == .created)
            let made = try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
            #expect(Set(made.keys) == ["uuid", "state", "cpu_count", "memory_size", "nics", "disks"])
            let uuid = try #require(made["uuid"] as? String)
            #expect(headers[.location] == "/vserver/virtual_machines/\(uuid)")
            #expect(made["state"] as? String == "shut off")
            #expect(made["cpu_count"] as? Int == 2)
            #expect(made["memory_size"] as? Int == 8_388_608)
            let nic = try #require((made["nics"] as? [[String: Any]])?.first)
            #expect(Set(nic.keys) == ["uuid", "mac_address", "source"])
            #expect(nic["source"] as? String == "default")
            #expect(Self.isUUID(nic["uuid"], version: "5"))
            let disk = try #require((made["disks"] as? [[String: Any]])?.first)
            #expect(Set(disk.keys) == ["uuid", "size"])
            #expect(disk["size"] as? Int == 1_048_576, "the backend's 1 GiB blank disk, in KiB")
            #expect(Self.isUUID(disk["uuid"], version: "5"))
            #expect(disk["uuid"] as? String != nic["uuid"] as? String)

            let again = try await client.json(.get, "/vserver/virtual_machines/\(uuid)")
            #expect(
                (again["nics"] as? [[String: Any]])?.first?["uuid"] as? String == nic["uuid"] as? String,
                "stable NIC uuid")
            #expect((again["disks"] as? [[String: Any]])?.first?["uuid"] as? String == disk["uuid"] as? String)

            let all = try await client.list("/vserver/virtual_machines")
            #expect(all.count == 2)
            let fixture = try #require(all.first { $0["uuid"] as? String == "6695eb01-f6a4-8304-79aa-97f2502e193f" })
            #expect(fixture["state"] as? String == "running")
            #expect(fixture["memory_size"] as? Int == 131_072)
            #expect((fixture["nics"] as? [[String: Any]])?.first?["mac_address"] as? String == "52:54:00:aa:bb:01")
        }
    }

    @Test("PATCH state: started, stopped (graceful), halted (forced); wrong transitions are 409")
    func patchState() async throws {
        try await VServerFixture.run { client, _ in
            let made = try await client.json(
                .post, "/vserver/virtual_machines", json: #"{"cpu_count":1,"memory_size":131072}"#, expect: .created)
            let uri = "/vserver/virtual_machines/\(try #require(made["uuid"] as? String))"
            #expect(try await client.json(.patch, uri, json: #"{"state":"started"}"#)["state"] as? String == "running")
            let twice = try await client.vserverError(.patch, uri, json: #"{"state":"started"}"#, expect: .conflict)
            #expect(twice.contains("running"))
            #expect(try await client.json(.patch, uri, json: #"{"state":"stopped"}"#)["state"] as? String == "shut off")
            try await client.vserverError(.patch, uri, json: #"{"state":"halted"}"#, expect: .conflict)
            try await client.vserverError(.patch, uri, json: #"{"state":"stopped"}"#, expect: .conflict)
            _ = try await client.json(.patch, uri, json: #"{"state":"started"}"#)
            #expect(try await client.json(.patch, uri, json: #"{"state":"halted"}"#)["state"] as? String == "shut off")
            try await client.vserverError(.patch, uri, json: #"{"state":"flying"}"#, expect: .badRequest)
            try await client.vserverError(.patch, uri, json: #"{}"#, expect: .badRequest)
            let resized = try await client.json(.patch, uri, json: #"{"cpu_count":3,"memory_size":262144}"#)
            #expect(resized["cpu_count"] as? Int == 3)
            #expect(resized["memory_size"] as? Int == 262_144)
            try await client.vserverError(
                .patch, "/vserver/virtual_machines/00000000-0000-0000-0000-000000000000", json: #"{"state":"started"}"#,
                expect: .notFound)
        }
    }

    @Test("DELETE answers 200, removes the machine and its disk")
    func delete() async throws {
        try await VServerFixture.run { client, _ in
            let made = try await client.json(
                .post, "/vserver/virtual_machines", json: #"{"cpu_count":1,"memory_size":131072}"#, expect: .created)
            let uuid = try #require(made["uuid"] as? String)
            let volume = try #require(
                (try await client.json(.get, "/api/v1/machines/\(uuid)")["disks"] as? [[String: Any]])?.first?["volume"]
                    as? String)
            _ = try await client.json(.patch, "/vserver/virtual_machines/\(uuid)", json: #"{"state":"started"}"#)
            #expect(try await client.send(.delete, "/vserver/virtual_machines/\(uuid)").status == .ok)
            try await client.vserverError(.get, "/vserver/virtual_machines/\(uuid)", expect: .notFound)
            _ = try await client.json(.get, "/api/v1/storage/pools/vmgate/volumes/\(volume)", expect: .notFound)
            try await client.vserverError(.delete, "/vserver/virtual_machines/\(uuid)", expect: .notFound)
        }
    }

    @Test("bad input is a 4xx with an error body and creates nothing")
    func badInput() async throws {
        try await VServerFixture.run { client, _ in
            let bad = [
                #"{"cpu_count":0,"memory_size":131072}"#, #"{"cpu_count":-1,"memory_size":131072}"#,
                #"{"cpu_count":100000,"memory_size":131072}"#, #"{"cpu_count":1,"memory_size":0}"#,
                #"{"cpu_count":1,"memory_size":-8}"#, #"{"cpu_count":1,"memory_size":9223372036854775807}"#,
                #"{"cpu_count":1}"#, #"{"memory_size":131072}"#, #"{"cpu_count":"2","memory_size":131072}"#,
                #"{"cpu_count":1,"memory_size":131072,"name":"a<b"}"#,
                #"{"cpu_count":1,"memory_size":131072,"name":"x y"}"#,
                "[1,2]", "{oops",
            ]
            for body in bad {
                try await client.vserverError(.post, "/vserver/virtual_machines", json: body, expect: .badRequest)
            }
            #expect(try await client.list("/vserver/virtual_machines").count == 1)
            #expect(try await client.list("/api/v1/storage/pools/vmgate/volumes").count == 2)
            _ = try await client.json(
                .post, "/vserver/virtual_machines", json: #"{"cpu_count":1,"memory_size":131072,"name":"dup"}"#,
                expect: .created)
            try await client.vserverError(
                .post, "/vserver/virtual_machines", json: #"{"cpu_count":1,"memory_size":131072,"name":"dup"}"#,
                expect: .conflict)
        }
    }

    @Test("network, network type and disk size come from the dialect's options")
    func options() async throws {
        let config = VServerFixture.configuration(
            options: #"{group: vserver, network: br-lab, network_type: bridge, disk_size_kib: "2097152"}"#)
        try await VServerFixture.run(config) { client, _ in
            let made = try await client.json(
                .post, "/vserver/virtual_machines", json: #"{"cpu_count":1,"memory_size":131072}"#, expect: .created)
            #expect((made["nics"] as? [[String: Any]])?.first?["source"] as? String == "br-lab")
            #expect((made["disks"] as? [[String: Any]])?.first?["size"] as? Int == 2_097_152)
            let native = try await client.json(.get, "/api/v1/machines/\(try #require(made["uuid"] as? String))")
            #expect((native["nics"] as? [[String: Any]])?.first?["sourceType"] as? String == "bridge")
        }
    }
}
