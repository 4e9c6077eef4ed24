import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Kimchi: templates")
struct KimchiTemplateTests {
    static let full = #"""
        {"name":"web","folder":["linux","servers"],"icon":"/images/web.png","os_distro":"debian","os_version":"12",
         "cpus":2,"memory":256,"storagepool":"/storagepools/vmgate",
         "disks":[{"index":0,"volume":"base.qcow2"},{"index":1,"size":2}],
         "cdrom":"/storagepools/vmgate/storagevolumes/data.raw","networks":["default"],"graphics":{"type":"spice"}}
        """#

    @Test("create with every field, read, list, update, rename and delete")
    func crud() async throws {
        try await KimchiFixture.run { client, _ in
            let created = try await client.json(.post, "/kimchi/templates", json: Self.full, expect: .created)
            #expect(created["folder"] as? [String] == ["linux", "servers"])
            #expect(created["icon"] as? String == "/images/web.png")
            #expect(created["os_distro"] as? String == "debian")
            #expect(created["os_version"] as? String == "12")
            #expect(created["cpus"] as? Int == 2)
            #expect(created["memory"] as? Int == 256)
            #expect(created["cdrom"] as? String == "vmgate/data.raw")
            #expect(created["storagepool"] as? String == "/storagepools/vmgate")
            #expect(created["networks"] as? [String] == ["default"])
            #expect((created["graphics"] as? [String: Any])?["type"] as? String == "spice")
            let disks = try #require(created["disks"] as? [[String: Any]])
            #expect(disks.count == 2)
            #expect(disks[0]["volume"] as? String == "base.qcow2")
            #expect(disks[1]["size"] as? Double == 2)
            #expect(created["href"] as? String == "/kimchi/templates/web")

            #expect(try await client.list("/kimchi/templates").map { $0["name"] as? String }.contains("web"))
            #expect(try await client.json(.get, "/kimchi/templates/web")["os_distro"] as? String == "debian")

            let updated = try await client.json(.put, "/kimchi/templates/web", json: #"{"memory":512,"cpus":4}"#)
            #expect(updated["memory"] as? Int == 512)
            #expect(updated["cpus"] as? Int == 4)
            #expect(updated["os_distro"] as? String == "debian", "fields left out keep their values")

            let (status, _, headers) = try await client.send(.put, "/kimchi/templates/web", json: #"{"name":"web2"}"#)
            #expect(status == .seeOther)
            #expect(headers[.location] == "/kimchi/templates/web2")
            try await client.kimchiError(.get, "/kimchi/templates/web", expect: .notFound)
            #expect(try await client.json(.get, "/kimchi/templates/web2")["memory"] as? Int == 512)

            #expect(try await client.send(.delete, "/kimchi/templates/web2").status == .noContent)
            try await client.kimchiError(.delete, "/kimchi/templates/web2", expect: .notFound)
        }
    }

    @Test("bad templates are refused with 4xx and nothing is stored")
    func validation() async throws {
        try await KimchiFixture.run { client, _ in
            let bad = [
                #"{"cpus":1}"#,
                #"{"name":"a b"}"#,
                #"{"name":"t","cpus":0}"#,
                #"{"name":"t","cpus":-2}"#,
                #"{"name":"t","cpus":100000}"#,
                #"{"name":"t","memory":-1}"#,
                #"{"name":"t","memory":0}"#,
                #"{"name":"t","memory":9223372036854775807}"#,
                #"{"name":"t","disks":[{"index":0}]}"#,
                #"{"name":"t","disks":[{"index":0,"size":-1}]}"#,
                #"{"name":"t","disks":[{"index":0,"size":1e300}]}"#,
                #"{"name":"t","disks":[{"index":0,"size":1},{"index":0,"size":2}]}"#,
                #"{"name":"t","disks":[{"index":0,"volume":"missing.qcow2"}],"storagepool":"/storagepools/vmgate"}"#,
                #"{"name":"t","storagepool":"/storagepools/missing"}"#,
                #"{"name":"t","cdrom":"http://example.com/x.iso"}"#,
                #"{"name":"t","cdrom":"/storagepools/vmgate/storagevolumes/none.iso"}"#,
                #"{"name":"t","cdrom":"/somewhere/else.iso"}"#,
                #"{"name":"t","networks":["a","b"]}"#,
                #"{"name":"t","graphics":{"type":"rdp"}}"#,
                #"{"name":"t","cpus":"two"}"#,
            ]
            for body in bad {
                try await client.kimchiError(.post, "/kimchi/templates", json: body, expect: .badRequest)
            }
            try await client.kimchiError(.get, "/kimchi/templates/t", expect: .notFound)
            try await client.kimchiError(.post, "/kimchi/templates", json: #"{"name":"demo"}"#, expect: .conflict)
            try await client.kimchiError(.put, "/kimchi/templates/demo", json: #"{"memory":-5}"#, expect: .badRequest)
            try await client.kimchiError(.put, "/kimchi/templates/nope", json: #"{"memory":256}"#, expect: .notFound)
            #expect(try await client.json(.get, "/kimchi/templates/demo")["memory"] as? Int == 128)
        }
    }

    @Test("a host path inside a pool is accepted as cdrom")
    func cdromPath() async throws {
        try await KimchiFixture.run { client, _ in
            let created = try await client.json(
                .post, "/kimchi/templates",
                json: #"{"name":"iso","cdrom":"/vmgate-pool/data.raw","disks":[{"size":1}]}"#,
                expect: .created)
            #expect(created["cdrom"] as? String == "vmgate/data.raw")
            let vm = try await client.json(
                .post, "/kimchi/vms", json: #"{"name":"withcd","template":"/templates/iso"}"#, expect: .created)
            #expect(vm["name"] as? String == "withcd")
            let disks = try await client.json(.get, "/api/v1/machines/withcd")["disks"] as? [[String: Any]] ?? []
            #expect(disks.contains { $0["device"] as? String == "cdrom" })
        }
    }

    @Test("updating a template never touches VMs made from it")
    func updateLeavesVMs() async throws {
        try await KimchiFixture.run { client, _ in
            _ = try await client.json(
                .post, "/kimchi/vms", json: #"{"name":"r1","template":"/templates/demo"}"#, expect: .created)
            _ = try await client.json(.post, "/kimchi/vms/r1/start")
            _ = try await client.json(.put, "/kimchi/templates/demo", json: #"{"memory":512,"cpus":2}"#)
            let vm = try await client.json(.get, "/kimchi/vms/r1")
            #expect(vm["memory"] as? Int == 128)
            #expect(vm["cpus"] as? Int == 1)
            #expect(vm["state"] as? String == "running")
            let next = try await client.json(
                .post, "/kimchi/vms", json: #"{"name":"r2","template":"/templates/demo"}"#, expect: .created)
            #expect(next["memory"] as? Int == 512)
        }
    }
}
