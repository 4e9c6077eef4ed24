import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Comet storage: VM disks, pools, volumes, servers, tasks")
struct CometStorageTests {
    @Test("VM storages list the disks; the test driver cannot attach, and says so")
    func vmStorages() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            _ = try await client.json(
                .post, "/comet/cluster", json: #"{"name":"db","template":"demo"}"#, expect: .created)
            _ = try await client.json(.post, "/comet/cluster/db/vms", json: #"{"name":"m1"}"#, expect: .created)
            let disks = try await client.list("/comet/cluster/db/vms/m1/storages")
            #expect(disks.count == 1)
            let disk = try #require(disks.first)
            #expect(disk["dev"] as? String == "vda")
            #expect(disk["pool"] as? String == "vmgate")
            #expect(disk["state"] as? String == "mapped")
            let zvol = try #require(disk["zvol"] as? String)
            let byName = try await client.json(.get, "/comet/cluster/db/vms/m1/storages/\(zvol)")
            #expect(byName["dev"] as? String == "vda")
            #expect(try await client.json(.get, "/comet/cluster/db/vms/m1/storages/vda")["zvol"] as? String == zvol)
            try await client.expectError(.get, "/comet/cluster/db/vms/m1/storages/nope", .notFound)
            try await client.expectError(.delete, "/comet/cluster/db/vms/m1/storages/\(zvol)", .conflict)

            let backend = try await client.json(.get, "/api/v1/backends/local")
            #expect((backend["capabilities"] as? [String])?.contains("diskAttach") != true)
            let reason = try await client.expectError(
                .post, "/comet/cluster/db/vms/m1/storages", json: #"{"pool":"vmgate","vol":"data.raw"}"#,
                .notImplemented)
            #expect(reason.contains("attach"))
            try await client.expectError(
                .post, "/comet/cluster/db/vms/m1/storages", json: #"{"pool":"vmgate"}"#, .badRequest)
            try await client.expectError(.post, "/comet/cluster/db/vms/m1/storages/nope/unmap", .notFound)
            #expect(try await client.list("/comet/cluster/db/vms/m1/storages").count == 1)
        }
    }

    @Test("snapshots: create, list, parent chain, revert, delete, and refusals")
    func snapshots() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            _ = try await client.json(
                .post, "/comet/cluster", json: #"{"name":"snap","template":"demo"}"#, expect: .created)
            _ = try await client.json(.post, "/comet/cluster/snap/vms", json: #"{"name":"a"}"#, expect: .created)
            _ = try await client.json(.post, "/comet/cluster/snap/vms", json: #"{"name":"b"}"#, expect: .created)
            let before = Int(Date().timeIntervalSince1970)
            let first = try await client.json(
                .post, "/comet/cluster/snap/vms/a/snapshots", json: #"{"name":"one"}"#, expect: .created)
            #expect(first["name"] as? String == "one")
            #expect(first["parent"] as? String == "")
            #expect(abs((first["created"] as? Int ?? 0) - before) < 60)
            let second = try await client.json(
                .post, "/comet/cluster/snap/vms/a/snapshots", json: #"{"name":"two"}"#, expect: .created)
            #expect(second["parent"] as? String == "one")
            _ = try await client.json(
                .post, "/comet/cluster/snap/vms/b/snapshots", json: #"{"name":"other"}"#, expect: .created)
            #expect(
                try await client.list("/comet/cluster/snap/vms/a/snapshots").map { $0["name"] as? String } == [
                    "one", "two",
                ])
            #expect(
                try await client.json(.get, "/comet/cluster/snap/vms/a/snapshots/two")["parent"] as? String == "one")

            try await client.expectError(
                .post, "/comet/cluster/snap/vms/a/snapshots", json: #"{"name":"one"}"#, .conflict)
            try await client.expectError(
                .post, "/comet/cluster/snap/vms/a/snapshots", json: #"{"name":"bad name"}"#, .badRequest)
            // Another VM's snapshot is not this VM's.
            try await client.expectError(.post, "/comet/cluster/snap/vms/a/snapshots/other/revert", .notFound)
            try await client.expectError(.get, "/comet/cluster/snap/vms/a/snapshots/other", .notFound)

            let reverted = try await client.json(.post, "/comet/cluster/snap/vms/a/snapshots/one/revert")
            #expect(reverted["name"] as? String == "a")
            let current = try await client.list("/comet/cluster/snap/vms/a/snapshots").first {
                $0["current"] as? Bool == true
            }
            #expect(current?["name"] as? String == "one")

            // The test driver takes no disk-only snapshots of running VMs: a clear 409.
            _ = try await client.json(.post, "/comet/cluster/snap/vms/b/start")
            let reason = try await client.expectError(
                .post, "/comet/cluster/snap/vms/b/snapshots", json: #"{"name":"live"}"#, .conflict)
            #expect(reason.contains("shut it off"))

            #expect(try await client.send(.delete, "/comet/cluster/snap/vms/a/snapshots/two").status == .noContent)
            try await client.expectError(.delete, "/comet/cluster/snap/vms/a/snapshots/two", .notFound)
            #expect(
                try await client.list("/comet/cluster/snap/vms/a/snapshots").map { $0["name"] as? String } == ["one"])
        }
    }

    @Test("storage pools in bytes, with activate and deactivate")
    func pools() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            let pools = try await client.list("/comet/storagepools")
            let pool = try #require(pools.first { $0["name"] as? String == "vmgate" })
            #expect(pool["capacity"] as? Int == 107_374_182_400)
            #expect(pool["state"] as? String == "active")
            #expect(pool["path"] as? String == "/vmgate-pool")
            #expect(pool["host"] as? String == "local")
            let single = try await client.json(.get, "/comet/storagepools/vmgate")
            #expect((single["available"] as? Int ?? 0) > 0)
            #expect((single["allocated"] as? Int ?? -1) + (single["available"] as? Int ?? -1) <= 107_374_182_400)
            #expect(
                try await client.json(.post, "/comet/storagepools/vmgate/deactivate")["state"] as? String == "inactive")
            #expect(
                try await client.list("/comet/storagepools").first { $0["name"] as? String == "vmgate" }?["state"]
                    as? String
                    == "inactive")
            try await client.expectError(.get, "/comet/storagepools/vmgate/storagevolumes", .conflict)
            #expect(try await client.json(.post, "/comet/storagepools/vmgate/activate")["state"] as? String == "active")
            try await client.expectError(.get, "/comet/storagepools/nope", .notFound)
            try await client.expectError(.post, "/comet/storagepools/vmgate/explode", .notFound)
        }
    }

    @Test("storage volumes: state, host and zpool; POST returns a task; bad input is refused")
    func volumes() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            let volumes = try await client.list("/comet/storagepools/vmgate/storagevolumes")
            let base = try #require(volumes.first { $0["name"] as? String == "base.qcow2" })
            #expect(base["state"] as? String == "mapped", "fixture-one runs from base.qcow2")
            #expect(base["host"] as? String == "local")
            #expect(base["zpool"] as? String == "vmgate")
            #expect(base["capacity"] as? Int == 33_554_432)
            let data = try await client.json(.get, "/comet/storagepools/vmgate/storagevolumes/data.raw")
            #expect(data["state"] as? String == "unmapped")
            #expect(data["host"] as? String == "")
            #expect(data["target"] as? String == "")

            let (status, body, headers) = try await client.send(
                .post, "/comet/storagepools/vmgate/storagevolumes", json: #"{"name":"new.qcow2","capacity":2}"#)
            #expect(status == .accepted, "\(String(buffer: body))")
            let location = try #require(headers[.location])
            #expect(location.hasPrefix("/comet/tasks/"))
            let task = try await client.waitForTask(location)
            #expect(task["status"] as? String == "finished", "\(task)")
            #expect(task["target"] as? String == "/comet/storagepools/vmgate/storagevolumes/new.qcow2")
            let created = try await client.json(.get, "/comet/storagepools/vmgate/storagevolumes/new.qcow2")
            #expect(created["capacity"] as? Int == 2 << 30)
            #expect(try await client.list("/comet/tasks").contains { $0["id"] as? String == task["id"] as? String })

            let count = try await client.list("/comet/storagepools/vmgate/storagevolumes").count
            try await client.expectError(
                .post, "/comet/storagepools/vmgate/storagevolumes",
                json: #"{"name":"both","capacity":1,"url":"http://127.0.0.1:1/x.img"}"#, .badRequest)
            try await client.expectError(
                .post, "/comet/storagepools/vmgate/storagevolumes", json: #"{"name":"neither"}"#, .badRequest)
            try await client.expectError(
                .post, "/comet/storagepools/vmgate/storagevolumes", json: #"{"name":"new.qcow2","capacity":1}"#,
                .conflict)
            try await client.expectError(
                .post, "/comet/storagepools/vmgate/storagevolumes", json: #"{"name":"huge","capacity":100000000}"#,
                .badRequest)
            try await client.expectError(
                .post, "/comet/storagepools/vmgate/storagevolumes", json: #"{"name":"ftp","url":"ftp://127.0.0.1/x"}"#,
                .badRequest)
            try await client.expectError(
                .post, "/comet/storagepools/nope/storagevolumes", json: #"{"name":"x","capacity":1}"#, .notFound)
            // The test driver cannot receive uploads: a url import is refused up front.
            try await client.expectError(
                .post, "/comet/storagepools/vmgate/storagevolumes", json: #"{"name":"u","url":"file:///etc/hostname"}"#,
                .notImplemented)
            #expect(try await client.list("/comet/storagepools/vmgate/storagevolumes").count == count)
            try await client.expectError(.get, "/comet/tasks/999", .notFound)
        }
    }

    @Test("storage servers are the backends offering storage, with their zpools")
    func servers() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            let servers = try await client.list("/comet/storageservers")
            #expect(servers.map { $0["host"] as? String } == ["local"])
            let local = try await client.json(.get, "/comet/storageservers/local")
            #expect(local["healthy"] as? Bool == true)
            #expect(local["zpools"] as? String == "/comet/storageservers/local/storagezpools")
            let zpools = try await client.list("/comet/storageservers/local/storagezpools")
            #expect(zpools.contains { $0["zpool"] as? String == "vmgate" && $0["host"] as? String == "local" })
            try await client.expectError(.get, "/comet/storageservers/mars", .notFound)
            try await client.expectError(.get, "/comet/storageservers/mars/storagezpools", .notFound)
        }
    }
}
