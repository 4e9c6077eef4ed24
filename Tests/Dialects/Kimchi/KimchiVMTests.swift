import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Kimchi: virtual machines")
struct KimchiVMTests {
    @Test("create from a template URI, start, screenshot, actions, stop, delete with its disks")
    func lifecycle() async throws {
        try await KimchiFixture.run { client, _ in
            let created = try await client.json(
                .post, "/kimchi/vms", json: #"{"name":"k1","template":"/templates/demo"}"#, expect: .created)
            #expect(created["name"] as? String == "k1")
            #expect(created["state"] as? String == "shutoff")
            #expect(created["memory"] as? Int == 128)
            #expect(created["cpus"] as? Int == 1)
            #expect(created["screenshot"] is NSNull, "no screenshot of a VM that is not running")
            let graphics = try #require(created["graphics"] as? [String: Any])
            #expect(graphics["type"] as? String == "vnc")
            #expect(graphics["port"] is NSNull)
            let stats = try #require(created["stats"] as? [String: Any])
            #expect(stats["cpu_utilization"] as? Double == 0)
            #expect(stats["net_throughput_peak"] as? Double == 100)

            let listed = try await client.list("/kimchi/vms")
            let summary = try #require(listed.first { $0["name"] as? String == "k1" })
            #expect(summary["href"] as? String == "/kimchi/vms/k1")
            #expect(summary["stats"] == nil)
            #expect(listed.contains { $0["name"] as? String == "fixture-one" })

            let disks = try await client.json(.get, "/api/v1/machines/k1")["disks"] as? [[String: Any]] ?? []
            let overlay = try #require(disks.first?["volume"] as? String)
            _ = try await client.json(.get, "/kimchi/storagepools/vmgate/storagevolumes/\(overlay)")

            let started = try await client.json(.post, "/kimchi/vms/k1/start")
            #expect(started["state"] as? String == "running")
            let live = try #require(started["stats"] as? [String: Any])
            let cpu = try #require(live["cpu_utilization"] as? Double)
            #expect(cpu > 0 && cpu <= 100, "computed from the test driver's CPU time counter")
            #expect(started["screenshot"] as? String == "/kimchi/vms/k1/screenshot")
            let reason = try await client.kimchiError(.post, "/kimchi/vms/k1/start", expect: .conflict)
            #expect(reason.contains("running"))

            let (status, _, headers) = try await client.send(.get, "/kimchi/vms/k1/screenshot")
            #expect(status == .seeOther)
            let location = try #require(headers[.location])
            #expect(location.hasPrefix("/kimchi/screenshots/") && location.hasSuffix(".png"))
            let image = try await client.send(.get, location)
            #expect(image.status == .ok)
            #expect(image.headers[.contentType] == "image/png")
            #expect(Array(image.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            // Within the cache lifetime the same capture is served and linked from the VM.
            #expect(try await client.send(.get, "/kimchi/vms/k1/screenshot").headers[.location] == location)
            #expect(try await client.json(.get, "/kimchi/vms/k1")["screenshot"] as? String == location)

            #expect(try await client.json(.post, "/kimchi/vms/k1/suspend")["state"] as? String == "paused")
            #expect(try await client.json(.post, "/kimchi/vms/k1/resume")["state"] as? String == "running")
            #expect(try await client.json(.post, "/kimchi/vms/k1/reset")["state"] as? String == "running")
            #expect(try await client.json(.post, "/kimchi/vms/k1/stop")["state"] as? String == "shutoff")
            try await client.kimchiError(.post, "/kimchi/vms/k1/stop", expect: .conflict)
            let shot = try await client.kimchiError(.get, "/kimchi/vms/k1/screenshot", expect: .notFound)
            #expect(shot.contains("not running"))
            try await client.kimchiError(.get, location, expect: .notFound)
            _ = try await client.json(.post, "/kimchi/vms/k1/start")
            #expect(try await client.json(.post, "/kimchi/vms/k1/shutdown")["state"] as? String == "shutoff")
            try await client.kimchiError(.post, "/kimchi/vms/k1/fly", expect: .badRequest)

            #expect(try await client.send(.delete, "/kimchi/vms/k1").status == .noContent)
            try await client.kimchiError(.get, "/kimchi/vms/k1", expect: .notFound)
            try await client.kimchiError(
                .get, "/kimchi/storagepools/vmgate/storagevolumes/\(overlay)", expect: .notFound)
        }
    }

    @Test("a name is generated from the template; storage pool URIs are honoured")
    func generatedName() async throws {
        try await KimchiFixture.run { client, _ in
            let created = try await client.json(
                .post, "/kimchi/vms",
                json: #"{"template":"/kimchi/templates/demo","storagepool":"/storagepools/vmgate"}"#,
                expect: .created)
            let name = try #require(created["name"] as? String)
            #expect(name.hasPrefix("demo-"))
            #expect(try await client.kimchiVMNames().contains(name))
        }
    }

    @Test("bad input is a 4xx in Kimchi's format and creates nothing")
    func badInput() async throws {
        try await KimchiFixture.run { client, _ in
            let before = try await client.kimchiVMNames()
            let unknown = try await client.kimchiError(
                .post, "/kimchi/vms", json: #"{"name":"x1","template":"/templates/nope"}"#, expect: .badRequest)
            #expect(unknown.contains("nope"))
            try await client.kimchiError(.post, "/kimchi/vms", json: #"{"name":"x1"}"#, expect: .badRequest)
            try await client.kimchiError(
                .post, "/kimchi/vms", json: #"{"name":"x1","template":"demo/x/y"}"#, expect: .badRequest)
            for bad in [#"bad name"#, #"a<b>"#, #"x'y"#, #"-lead"#, String(repeating: "n", count: 64)] {
                let body = try JSONSerialization.data(withJSONObject: ["name": bad, "template": "/templates/demo"])
                try await client.kimchiError(
                    .post, "/kimchi/vms", json: String(decoding: body, as: UTF8.self), expect: .badRequest)
            }
            try await client.kimchiError(
                .post, "/kimchi/vms",
                json: #"{"name":"x1","template":"/templates/demo","storagepool":"/storagepools/none"}"#,
                expect: .badRequest)
            try await client.kimchiError(
                .post, "/kimchi/vms", json: #"{"name":"x1","template":7}"#, expect: .badRequest)
            try await client.kimchiError(.post, "/kimchi/vms", json: "{not json", expect: .badRequest)
            #expect(try await client.kimchiVMNames() == before)
            let pool = try await client.list("/kimchi/storagepools/vmgate/storagevolumes").count

            _ = try await client.json(
                .post, "/kimchi/vms", json: #"{"name":"x1","template":"/templates/demo"}"#, expect: .created)
            try await client.kimchiError(
                .post, "/kimchi/vms", json: #"{"name":"x1","template":"/templates/demo"}"#, expect: .conflict)
            try await client.kimchiError(
                .post, "/kimchi/vms", json: #"{"name":"fixture-one","template":"/templates/demo"}"#, expect: .conflict)
            // Exactly one overlay was made: for x1.
            #expect(try await client.list("/kimchi/storagepools/vmgate/storagevolumes").count == pool + 1)
            try await client.kimchiError(.get, "/kimchi/vms/nobody", expect: .notFound)
            try await client.kimchiError(.delete, "/kimchi/vms/nobody", expect: .notFound)
        }
    }

    @Test("PUT changes hardware of a shut-off VM only, never its live state")
    func update() async throws {
        try await KimchiFixture.run { client, _ in
            _ = try await client.json(
                .post, "/kimchi/vms", json: #"{"name":"u1","template":"/templates/demo"}"#, expect: .created)
            let changed = try await client.json(.put, "/kimchi/vms/u1", json: #"{"cpus":2,"memory":256}"#)
            #expect(changed["cpus"] as? Int == 2)
            #expect(changed["memory"] as? Int == 256)
            #expect(changed["state"] as? String == "shutoff")
            try await client.kimchiError(.put, "/kimchi/vms/u1", json: #"{"cpus":0}"#, expect: .badRequest)
            try await client.kimchiError(.put, "/kimchi/vms/u1", json: #"{"memory":-1}"#, expect: .badRequest)
            try await client.kimchiError(.put, "/kimchi/vms/u1", json: #"{"memory":999999999999}"#, expect: .badRequest)
            try await client.kimchiError(.put, "/kimchi/vms/u1", json: #"{"name":"u2"}"#, expect: .badRequest)
            _ = try await client.json(.post, "/kimchi/vms/u1/start")
            try await client.kimchiError(.put, "/kimchi/vms/u1", json: #"{"cpus":3}"#, expect: .conflict)
            let vm = try await client.json(.get, "/kimchi/vms/u1")
            #expect(vm["cpus"] as? Int == 2)
            #expect(vm["state"] as? String == "running")
        }
    }

    @Test("a creation still running after taskAfterSeconds is answered with 202 and a task")
    func creationTask() async throws {
        try await KimchiFixture.run(KimchiFixture.configuration(taskAfterSeconds: "0")) { client, gateway in
            let task = try await client.json(
                .post, "/kimchi/vms", json: #"{"name":"t1","template":"/templates/demo"}"#, expect: .accepted)
            let id = try #require(task["id"] as? String)
            #expect(task["target"] as? String == "/kimchi/vms/t1")
            #expect(task["target_uri"] as? String == "/kimchi/vms/t1")
            #expect(["running", "finished"].contains(task["status"] as? String ?? ""))
            _ = try await gateway.fleet.tasks.wait(for: id)
            let done = try await client.json(.get, "/kimchi/tasks/\(id)")
            #expect(done["status"] as? String == "finished")
            #expect((done["message"] as? String ?? "").contains("t1"))
            #expect(try await client.json(.get, "/kimchi/vms/t1")["state"] as? String == "shutoff")
            // Validation still happens before any task exists.
            try await client.kimchiError(
                .post, "/kimchi/vms", json: #"{"name":"t1","template":"/templates/demo"}"#, expect: .conflict)
            let tasks = try await client.list("/kimchi/tasks")
            #expect(tasks.contains { $0["id"] as? String == id })
            #expect(
                try await client.list("/kimchi/tasks?status=finished").allSatisfy {
                    $0["status"] as? String == "finished"
                })
            try await client.kimchiError(.get, "/kimchi/tasks?status=sleeping", expect: .badRequest)
            try await client.kimchiError(.get, "/kimchi/tasks/99999", expect: .notFound)
        }
    }
}
