import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

@Suite("Native API: machines")
struct NativeMachineTests {
    @Test("create from a template clones the base image as an overlay, then lifecycle and delete")
    func lifecycle() async throws {
        try await TestGateway.run { client, _ in
            let created = try await client.json(
                .post, "/api/v1/machines", json: #"{"name":"web1","tags":{"team":"a"}}"#, expect: .created)
            #expect(created["id"] as? String == "local:web1")
            #expect(created["state"] as? String == "shutoff")
            #expect(created["template"] as? String == "demo")
            #expect(created["group"] as? String == "default")
            let disks = created["disks"] as? [[String: Any]] ?? []
            #expect(disks.first?["ownedByGateway"] as? Bool == true)
            let volume = try #require(disks.first?["volume"] as? String)
            let vol = try await client.json(.get, "/api/v1/storage/pools/vmgate/volumes/\(volume)")
            #expect(vol["backingPath"] as? String == "/vmgate-pool/base.qcow2")

            let started = try await client.json(.post, "/api/v1/machines/local:web1/actions/start")
            #expect(started["state"] as? String == "running")
            let again = try await client.json(.post, "/api/v1/machines/web1/actions/start", expect: .conflict)
            #expect((again["error"] as? [String: Any])?["kind"] as? String == "conflict")
            let paused = try await client.json(.post, "/api/v1/machines/web1/actions/suspend")
            #expect(paused["state"] as? String == "paused")
            _ = try await client.json(.post, "/api/v1/machines/web1/actions/resume")
            let off = try await client.json(.post, "/api/v1/machines/web1/actions/poweroff")
            #expect(off["state"] as? String == "shutoff")

            let uuid = try #require(created["uuid"] as? String)
            let byUUID = try await client.json(.get, "/api/v1/machines/\(uuid)")
            #expect(byUUID["name"] as? String == "web1")

            #expect(try await client.send(.delete, "/api/v1/machines/web1").status == .noContent)
            _ = try await client.json(.get, "/api/v1/machines/web1", expect: .notFound)
            _ = try await client.json(.get, "/api/v1/storage/pools/vmgate/volumes/\(volume)", expect: .notFound)
        }
    }

    @Test("list merges, filters and pages")
    func listAndPaging() async throws {
        try await TestGateway.run { client, _ in
            for index in 0..<5 {
                _ = try await client.json(.post, "/api/v1/machines", json: #"{"name":"m\#(index)"}"#, expect: .created)
            }
            let all = try await client.json(.get, "/api/v1/machines")
            let total = try #require(all["total"] as? Int)
            #expect(total == 6)  // five new plus the fixture's running machine
            let page = try await client.json(.get, "/api/v1/machines?offset=2&limit=2")
            #expect((page["items"] as? [[String: Any]])?.count == 2)
            #expect(page["total"] as? Int == total)
            let grouped = try await client.json(.get, "/api/v1/machines?group=default")
            #expect(grouped["total"] as? Int == 5)
            let running = try await client.json(.get, "/api/v1/machines?state=running")
            #expect(running["total"] as? Int == 1)
            _ = try await client.json(.get, "/api/v1/machines?limit=-1", expect: .badRequest)
            _ = try await client.json(.get, "/api/v1/machines?state=flying", expect: .badRequest)
            _ = try await client.json(.get, "/api/v1/machines?backend=elsewhere", expect: .notFound)
        }
    }

    @Test("patch changes tags, lifetime and (shut off) hardware; refuses hardware while running")
    func patch() async throws {
        try await TestGateway.run { client, _ in
            _ = try await client.json(.post, "/api/v1/machines", json: #"{"name":"p1"}"#, expect: .created)
            let patched = try await client.json(
                .patch, "/api/v1/machines/p1",
                json: #"{"tags":{"owner":"jdoe"},"lifetimeHours":4,"vcpus":2,"memoryMiB":256}"#)
            #expect((patched["tags"] as? [String: String]) == ["owner": "jdoe"])
            #expect(patched["lifetimeHours"] as? Double == 4)
            #expect(patched["vcpus"] as? Int == 2)
            #expect(patched["memoryMiB"] as? Int == 256)
            _ = try await client.json(.post, "/api/v1/machines/p1/actions/start")
            _ = try await client.json(.patch, "/api/v1/machines/p1", json: #"{"vcpus":3}"#, expect: .conflict)
            _ = try await client.json(.patch, "/api/v1/machines/p1", json: #"{"vcpus":0}"#, expect: .badRequest)
            _ = try await client.json(.patch, "/api/v1/machines/p1", json: #"{"group":"nope"}"#, expect: .notFound)
        }
    }

    @Test(
        "bad input gets a clear 4xx and creates nothing",
        arguments: [
            (#"{"template":"missing"}"#, 404, "no template named 'missing'"),
            (#"{"name":"#, 400, "not valid JSON"),
            (#"{"name":"a<b"}"#, 400, "may only contain"),
            (#"{"name":"x'y"}"#, 400, "may only contain"),
            (#"{"vcpus":"two"}"#, 400, "'vcpus' must be an integer"),
            (#"{"vcpus":-1}"#, 400, "cpus must be between"),
            (#"{"memoryMiB":99999999}"#, 400, "memoryMiB must be between"),
            (#"{"group":"nowhere"}"#, 404, "no group named"),
            (#"{"backend":"nowhere"}"#, 404, "no backend named"),
            (#"{"storagePool":"missing-pool"}"#, 404, "pool"),
        ])
    func badInput(body: String, status: Int, message: String) async throws {
        try await TestGateway.run { client, _ in
            let before = try await client.list("/api/v1/storage/pools/vmgate/volumes").count
            let (code, buffer, _) = try await client.send(.post, "/api/v1/machines", json: body)
            #expect(Int(code.code) == status, "\(String(buffer: buffer))")
            #expect(String(buffer: buffer).contains(message), "\(String(buffer: buffer))")
            let error = try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any]
            #expect((error?["error"] as? [String: Any])?["code"] as? Int == status)
            let machines = try await client.json(.get, "/api/v1/machines")
            #expect(machines["total"] as? Int == 1)
            #expect(try await client.list("/api/v1/storage/pools/vmgate/volumes").count == before)
        }
    }

    @Test("duplicate names conflict, unknown machines and actions are rejected")
    func conflicts() async throws {
        try await TestGateway.run { client, _ in
            _ = try await client.json(.post, "/api/v1/machines", json: #"{"name":"dup"}"#, expect: .created)
            let volumes = try await client.list("/api/v1/storage/pools/vmgate/volumes").count
            let error = try await client.json(.post, "/api/v1/machines", json: #"{"name":"dup"}"#, expect: .conflict)
            #expect(((error["error"] as? [String: Any])?["message"] as? String)?.contains("already exists") == true)
            #expect(try await client.list("/api/v1/storage/pools/vmgate/volumes").count == volumes)
            _ = try await client.json(.get, "/api/v1/machines/ghost", expect: .notFound)
            _ = try await client.json(.delete, "/api/v1/machines/ghost", expect: .notFound)
            _ = try await client.json(.post, "/api/v1/machines/dup/actions/explode", expect: .badRequest)
            _ = try await client.json(.post, "/api/v1/machines/dup/actions/shutdown", expect: .conflict)
        }
    }

    @Test("screenshots come back as PNG; snapshots list, revert and delete")
    func screenshotAndSnapshots() async throws {
        try await TestGateway.run { client, _ in
            _ = try await client.json(.post, "/api/v1/machines", json: #"{"name":"s1","start":true}"#, expect: .created)
            let shot = try await client.send(.get, "/api/v1/machines/s1/screenshot")
            #expect(shot.status == .ok)
            #expect(shot.headers[.contentType] == "image/png")
            #expect(Array(shot.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            _ = try await client.json(.post, "/api/v1/machines/s1/actions/poweroff")
            _ = try await client.json(.get, "/api/v1/machines/s1/screenshot", expect: .conflict)

            let snap = try await client.json(
                .post, "/api/v1/machines/s1/snapshots", json: #"{"name":"first"}"#, expect: .created)
            #expect(snap["name"] as? String == "first")
            #expect(try await client.list("/api/v1/machines/s1/snapshots").count == 1)
            _ = try await client.json(.get, "/api/v1/machines/s1/snapshots/first")
            _ = try await client.json(
                .post, "/api/v1/machines/s1/snapshots", json: #"{"name":"first"}"#, expect: .conflict)
            _ = try await client.json(.post, "/api/v1/machines/s1/snapshots/first/revert")
            _ = try await client.json(.post, "/api/v1/machines/s1/snapshots/other/revert", expect: .notFound)
            #expect(try await client.send(.delete, "/api/v1/machines/s1/snapshots/first").status == .noContent)
            #expect(try await client.list("/api/v1/machines/s1/snapshots").isEmpty)
        }
    }
}
