import Foundation
import Gateway
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// A 2-VM infrastructure with a cloud-init seed on real QEMU through libvirtd (set VMGATE_QEMU_URI).
@Suite("IM: real QEMU", .enabled(if: ProcessInfo.processInfo.environment["VMGATE_QEMU_URI"] != nil))
struct IMQEMUTests {
    static func configuration() -> GatewayConfiguration {
        var config = TestGateway.qemuConfiguration()
        config.groups = try! ConfigurationLoader.parse("groups: [{name: imq, backends: [qemu], template: tiny}]").groups
        config.dialects = try! ConfigurationLoader.parse("dialects: [{name: im, options: {group: imq}}]").dialects
        return config
    }

    @Test("deploy two VMs with a NoCloud seed, stop, start and destroy")
    func twoVMs() async throws {
        let pool = ProcessInfo.processInfo.environment["VMGATE_QEMU_POOL"] ?? "vmgate"
        try await TestGateway.run(Self.configuration()) { client, gateway in
            let radl = """
                system node (
                    cpu.count >= 1 and
                    memory.size >= 64m and
                    disk.0.image.url = 'vmgate://qemu/tiny'
                )
                configure node (
                @begin
                #cloud-config
                runcmd:
                  - echo hello from vmgate
                @end
                )
                deploy node 2
                """
            let auth = "id = im; type = InfrastructureManager; username = qemu; password = pw"
            let id = try await client.createInfrastructure(radl, auth: auth)
            try #require(!id.isEmpty)
            do {
                let machines = await gateway.fleet.machines(group: "im-\(id)").machines
                #expect(machines.count == 2)
                #expect(machines.allSatisfy { $0.metadata.extra["im.infrastructure"] == id })
                for machine in machines {
                    var state = machine.state
                    for _ in 0..<50 where state != .running {
                        try await Task.sleep(for: .milliseconds(100))
                        state = try await gateway.fleet.machine(machine.id).state
                    }
                    #expect(state == .running)
                    #expect(machine.memoryMiB == 64)
                    let cdrom = try #require(machine.disks.first { $0.device == "cdrom" })
                    let path = try #require(cdrom.path)
                    let handle = try #require(FileHandle(forReadingAtPath: path))
                    try handle.seek(toOffset: 0x8001)
                    let magic = try handle.read(upToCount: 5)
                    try handle.close()
                    #expect(magic == Data("CD001".utf8), "seed is an ISO9660 image")
                }
                let state = try await client.im(.get, "/infrastructures/\(id)/state", auth: auth)
                #expect((state.object["state"] as? [String: Any])?["state"] as? String == "configured")
                #expect(
                    try await client.im(.get, "/infrastructures/\(id)/vms/1/contmsg", auth: auth).text.contains(
                        "NoCloud seed"))
                #expect(try await client.im(.put, "/infrastructures/\(id)/stop", auth: auth).status == .ok)
                let stopped = try await client.im(.get, "/infrastructures/\(id)/state", auth: auth)
                #expect((stopped.object["state"] as? [String: Any])?["state"] as? String == "stopped")
                #expect(try await client.im(.put, "/infrastructures/\(id)/start", auth: auth).status == .ok)
                let image = "imsnap-" + String(id.prefix(8))
                let snapshot = try await client.im(
                    .put, "/infrastructures/\(id)/vms/0/disks/0/snapshot?image_name=\(image)&auto_delete=true",
                    auth: auth)
                #expect(snapshot.status == .ok, "\(snapshot.text)")
                #expect(snapshot.text.hasSuffix("/\(pool)/\(image)"))
                let reuse = "system copy (memory.size >= 64m and disk.0.image.url = '\(snapshot.text)')\ndeploy copy 1"
                let added = try await client.im(.post, "/infrastructures/\(id)?context=0", body: reuse, auth: auth)
                #expect(added.status == .ok, "\(added.text)")
                #expect(added.text.hasSuffix("/vms/2"))
            } catch {
                _ = try? await client.im(.delete, "/infrastructures/\(id)", auth: auth)
                throw error
            }
            #expect(try await client.im(.delete, "/infrastructures/\(id)", auth: auth).status == .ok)
            #expect(await gateway.fleet.machines(group: "im-\(id)").machines.isEmpty)
            let volumes = try await gateway.fleet.volumes(
                inPool: ProcessInfo.processInfo.environment["VMGATE_QEMU_POOL"] ?? "vmgate")
            #expect(!volumes.contains { $0.name.contains(id.replacingOccurrences(of: "-", with: "")) })
            #expect(!volumes.contains { $0.name == "imsnap-" + String(id.prefix(8)) }, "auto-delete image removed")
        }
    }
}
