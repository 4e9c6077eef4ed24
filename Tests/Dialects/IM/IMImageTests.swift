import Foundation
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Spec
import Testing

@testable import Gateway
@testable import IMDialect

@Suite("IM: disk.0.image.url names images, never another machine's disk")
struct IMImageTests {
    static func radl(_ url: String) -> String {
        "system s (cpu.count >= 1 and memory.size >= 128m and disk.0.image.url = '\(url)')\ndeploy s 1"
    }

    @Test("a machine's disk, an unknown volume and an IM template over a machine's disk are refused with 400")
    func refusals() async throws {
        try await TestGateway.run(IMTest.configuration()) { client, gateway in
            let victim = try await client.createInfrastructure(Self.radl("vmgate://h/demo"))
            let machine = try #require(await gateway.fleet.machines(group: "im-\(victim)").machines.first)
            let disk = try #require(machine.disks.first { $0.device == "disk" })
            let pool = try #require(disk.pool)
            let volume = try #require(disk.volume)
            let templatesBefore = try await gateway.fleet.templates().map(\.name)

            let stolen = try await client.im(
                .post, "/infrastructures", body: Self.radl("x://h/\(pool)/\(volume)"), accept: "application/json",
                auth: IMTest.bobAuth)
            #expect(stolen.status == .badRequest, "\(stolen.text)")
            #expect(stolen.object["code"] as? Int == 400)
            #expect((stolen.object["message"] as? String)?.contains("is not an image") == true)
            #expect(try await gateway.fleet.templates().map(\.name) == templatesBefore, "no template registered")

            // A volume the gateway neither created nor lists in a template is not an image either.
            let unknown = try await client.im(.post, "/infrastructures", body: Self.radl("x://h/vmgate/data.raw"))
            #expect(unknown.status == .badRequest, "\(unknown.text)")

            // IM's own img-<pool>-<volume> templates are checked again when named directly.
            let cached = IMDialect.imageTemplate(pool: pool, volume: volume)
            try await gateway.fleet.store.saveTemplate(
                Template(name: cached, disks: [TemplateDisk(index: 0, pool: pool, volume: volume)]))
            let direct = try await client.im(.post, "/infrastructures", body: Self.radl("vmgate://h/\(cached)"))
            #expect(direct.status == .badRequest, "\(direct.text)")
            #expect(await gateway.fleet.machines(group: "im-\(victim)").machines.count == 1)
            #expect(await gateway.fleet.machines().machines.count == 2, "fixture-one and the victim only")
        }
    }

    @Test("a template's base volume and an image the gateway created can be deployed; a machine's disk never")
    func images() async throws {
        try await TestGateway.run(IMTest.configuration()) { client, gateway in
            // A volume made outside the gateway's records (the backend directly), which a template lists.
            let backend = try gateway.fleet.backends.backend("local")
            _ = try await backend.createVolume(
                VolumeSpec(name: "golden.qcow2", capacityBytes: 1 << 20, format: "qcow2"), inPool: "vmgate")
            let golden = try await client.im(.post, "/infrastructures", body: Self.radl("x://h/vmgate/golden.qcow2"))
            #expect(golden.status == .badRequest, "neither recorded nor a template base yet: \(golden.text)")
            try await gateway.fleet.store.saveTemplate(
                Template(name: "golden", disks: [TemplateDisk(index: 0, pool: "vmgate", volume: "golden.qcow2")]))
            let base = try await client.im(.post, "/infrastructures", body: Self.radl("x://h/vmgate/golden.qcow2"))
            #expect(base.status == .ok, "\(base.text)")
            #expect(try await gateway.fleet.store.template(named: "img-vmgate-golden.qcow2") != nil)

            // The fixture machine boots base.qcow2 itself: a template base, but also a machine's disk.
            let used = try await client.im(.post, "/infrastructures", body: Self.radl("x://h/vmgate/base.qcow2"))
            #expect(used.status == .badRequest, "\(used.text)")

            _ = try await gateway.fleet.createVolume(
                VolumeSpec(name: "upload.qcow2", capacityBytes: 1 << 20, format: "qcow2"), inPool: "vmgate")
            let uploaded = try await client.im(.post, "/infrastructures", body: Self.radl("x://h/vmgate/upload.qcow2"))
            #expect(uploaded.status == .ok, "\(uploaded.text)")
            // Deploying again goes through IM's cached template and passes the same check.
            let again = try await client.im(
                .post, "/infrastructures", body: Self.radl("vmgate://h/img-vmgate-upload.qcow2"))
            #expect(again.status == .ok, "\(again.text)")
        }
    }
}
