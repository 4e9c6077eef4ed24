import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Comet cluster VMs")
struct CometVMTests {
    static let cluster = #"{"name":"web","template":"demo"}"#

    @Test("create (named or generated), read, update and delete VMs")
    func crud() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            _ = try await client.json(.post, "/comet/cluster", json: Self.cluster, expect: .created)
            let (status, body, headers) = try await client.send(
                .post, "/comet/cluster/web/vms", json: #"{"name":"vm1","memory":256,"cpus":2}"#)
            #expect(status == .created, "\(String(buffer: body))")
            #expect(headers[.location] == "/comet/cluster/web/vms/vm1")
            let vm = try await client.json(.get, "/comet/cluster/web/vms/vm1")
            #expect(vm["name"] as? String == "vm1")
            #expect(vm["state"] as? String == "shutoff")
            #expect(vm["memory"] as? Int == 256)
            #expect(vm["cpus"] as? Int == 2)
            #expect(vm["cluster"] as? String == "web")
            #expect(vm["screenshot"] is NSNull, "no screenshot while shut off")
            #expect(vm["console"] as? String == "/comet/cluster/web/vms/vm1/console")

            let generated = try await client.json(.post, "/comet/cluster/web/vms", expect: .created)
            #expect((generated["name"] as? String)?.hasPrefix("demo-") == true)
            #expect(generated["memory"] as? Int == 128)
            #expect(try await client.list("/comet/cluster/web/vms").count == 2)

            let updated = try await client.json(.put, "/comet/cluster/web/vms/vm1", json: #"{"cpus":3,"memory":512}"#)
            #expect(updated["cpus"] as? Int == 3)
            #expect(updated["memory"] as? Int == 512)
            #expect(updated["state"] as? String == "shutoff")

            let running = try await client.json(.post, "/comet/cluster/web/vms/vm1/start")
            #expect(running["state"] as? String == "running")
            #expect(running["screenshot"] as? String == "/comet/cluster/web/vms/vm1/screenshot")
            let (shotStatus, shot, shotHeaders) = try await client.send(.get, "/comet/cluster/web/vms/vm1/screenshot")
            #expect(shotStatus == .ok)
            #expect(shotHeaders[.contentType] == "image/png")
            #expect(Array(buffer: shot).starts(with: [0x89, 0x50, 0x4E, 0x47]))

            let reason = try await client.expectError(
                .put, "/comet/cluster/web/vms/vm1", json: #"{"cpus":1}"#, .conflict)
            #expect(reason.contains("shut it off"))
            #expect(try await client.json(.get, "/comet/cluster/web/vms/vm1")["cpus"] as? Int == 3)

            try await client.expectError(.delete, "/comet/cluster/web/vms/vm1", .conflict)
            #expect(try await client.send(.delete, "/comet/cluster/web/vms/vm1?force=true").status == .noContent)
            try await client.expectError(.get, "/comet/cluster/web/vms/vm1", .notFound)
            #expect(try await client.list("/comet/cluster/web/vms").count == 1)
        }
    }

    @Test("power actions map onto the VM lifecycle")
    func actions() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            _ = try await client.json(.post, "/comet/cluster", json: Self.cluster, expect: .created)
            _ = try await client.json(.post, "/comet/cluster/web/vms", json: #"{"name":"p1"}"#, expect: .created)
            try await client.expectError(.post, "/comet/cluster/web/vms/p1/shutdown", .conflict)
            try await client.expectError(.post, "/comet/cluster/web/vms/p1/reset", .conflict)
            #expect(try await client.json(.post, "/comet/cluster/web/vms/p1/start")["state"] as? String == "running")
            try await client.expectError(.post, "/comet/cluster/web/vms/p1/start", .conflict)
            #expect(try await client.json(.post, "/comet/cluster/web/vms/p1/reset")["state"] as? String == "running")
            #expect(try await client.json(.post, "/comet/cluster/web/vms/p1/poweroff")["state"] as? String == "shutoff")
            _ = try await client.json(.post, "/comet/cluster/web/vms/p1/start")
            #expect(try await client.json(.post, "/comet/cluster/web/vms/p1/shutdown")["state"] as? String == "shutoff")
            try await client.expectError(.post, "/comet/cluster/web/vms/p1/explode", .notFound)
            try await client.expectError(.post, "/comet/cluster/web/vms/ghost/start", .notFound)
        }
    }

    @Test("stop releases the VM from its host and start defines it again")
    func stopAndRestart() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, gateway in
            _ = try await client.json(.post, "/comet/cluster", json: Self.cluster, expect: .created)
            _ = try await client.json(
                .post, "/comet/cluster/web/vms", json: #"{"name":"s1","memory":192}"#, expect: .created)
            _ = try await client.json(.post, "/comet/cluster/web/vms/s1/start")
            let disk = try #require(try await client.list("/comet/cluster/web/vms/s1/storages").first)
            let volume = try #require(disk["zvol"] as? String)

            let stopped = try await client.json(.post, "/comet/cluster/web/vms/s1/stop", json: #"{"timeout":2}"#)
            #expect(stopped["state"] as? String == "shutoff")
            #expect(stopped["released"] as? Bool == true)
            #expect(stopped["memory"] as? Int == 192)
            // Gone from the host, disk kept in storage, definition kept in the store.
            _ = try await client.json(.get, "/api/v1/machines/local:s1", expect: .notFound)
            _ = try await client.json(.get, "/comet/storagepools/vmgate/storagevolumes/\(volume)")
            let kept = try await gateway.fleet.store.values(namespace: "comet.released")
            #expect(kept.keys.contains("local:s1"))
            #expect(try await client.json(.get, "/comet/cluster/web/vms/s1")["state"] as? String == "shutoff")
            #expect(try await client.list("/comet/cluster/web/vms/s1/storages").first?["zvol"] as? String == volume)

            // Released VMs refuse hardware changes and a second stop, clearly.
            try await client.expectError(.put, "/comet/cluster/web/vms/s1", json: #"{"cpus":2}"#, .conflict)
            try await client.expectError(.post, "/comet/cluster/web/vms/s1/stop", .conflict)
            try await client.expectError(.post, "/comet/cluster/web/vms", json: #"{"name":"s1"}"#, .conflict)

            let restarted = try await client.json(.post, "/comet/cluster/web/vms/s1/start")
            #expect(restarted["state"] as? String == "running")
            #expect(restarted["released"] as? Bool == false)
            #expect(try await client.json(.get, "/api/v1/machines/local:s1")["memoryMiB"] as? Int == 192)
            #expect(try await gateway.fleet.store.values(namespace: "comet.released").isEmpty)

            // Deleting a released VM removes its disk too.
            _ = try await client.json(.post, "/comet/cluster/web/vms/s1/stop")
            #expect(try await client.send(.delete, "/comet/cluster/web/vms/s1").status == .noContent)
            _ = try await client.json(.get, "/comet/storagepools/vmgate/storagevolumes/\(volume)", expect: .notFound)
            #expect(try await gateway.fleet.store.values(namespace: "comet.released").isEmpty)
        }
    }

    @Test("bad VM input gets a clear 4xx and creates nothing")
    func badInput() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            _ = try await client.json(.post, "/comet/cluster", json: Self.cluster, expect: .created)
            try await client.expectError(.post, "/comet/cluster/web/vms", json: #"{"name":"bad name"}"#, .badRequest)
            try await client.expectError(.post, "/comet/cluster/web/vms", json: #"{"memory":-5}"#, .badRequest)
            try await client.expectError(.post, "/comet/cluster/web/vms", json: #"{"cpus":1000}"#, .badRequest)
            try await client.expectError(.post, "/comet/cluster/web/vms", json: #"{"backend":"mars"}"#, .badRequest)
            try await client.expectError(.post, "/comet/cluster/web/vms", json: #"{"name":5}"#, .badRequest)
            try await client.expectError(.post, "/comet/cluster/nope/vms", json: #"{"name":"x"}"#, .notFound)
            #expect(try await client.list("/comet/cluster/web/vms").isEmpty)
            _ = try await client.json(.post, "/comet/cluster/web/vms", json: #"{"name":"d1"}"#, expect: .created)
            try await client.expectError(.post, "/comet/cluster/web/vms", json: #"{"name":"d1"}"#, .conflict)
            try await client.expectError(.put, "/comet/cluster/web/vms/d1", json: #"{"name":"d2"}"#, .badRequest)
            #expect(try await client.list("/comet/cluster/web/vms").count == 1)
        }
    }
}
