import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

@Suite("IM: VMs over HTTP")
struct IMVMTests {
    @Test("VM info, properties, alter, power actions, snapshot and removal")
    func vms() async throws {
        try await TestGateway.run(IMTest.configuration()) { client, gateway in
            let id = try await client.createInfrastructure()
            let info = try await client.im(.get, "/infrastructures/\(id)/vms/0")
            #expect(info.status == .ok)
            #expect(info.text.contains("state = 'configured'"))
            #expect(info.text.contains("cpu.count = 2"))
            #expect(info.text.contains("memory.size = 256M"))
            #expect(info.text.contains("network publica"))
            let json = try await client.im(.get, "/infrastructures/\(id)/vms/0", accept: "application/json")
            let systems = (json.object["radl"] as? [[String: Any]])?.filter { $0["class"] as? String == "system" }
            #expect(systems?.first?["state"] as? String == "configured")
            #expect(try await client.im(.get, "/infrastructures/\(id)/vms/7").status == .notFound)

            #expect(try await client.im(.get, "/infrastructures/\(id)/vms/0/state").text == "configured")
            let cpus = try await client.im(.get, "/infrastructures/\(id)/vms/0/cpu.count", accept: "application/json")
            #expect(cpus.object["cpu.count"] as? Int == 2)
            #expect(
                try await client.im(.get, "/infrastructures/\(id)/vms/0/disk.0.os.credentials.username").text
                    == "cloudadm")
            #expect(try await client.im(.get, "/infrastructures/\(id)/vms/0/contmsg").text.contains("VM 0"))
            #expect(try await client.im(.get, "/infrastructures/\(id)/vms/0/nonexistent").status == .notFound)

            let altered = try await client.im(
                .put, "/infrastructures/\(id)/vms/1", body: "system front (memory.size >= 512m and cpu.count >= 1)")
            #expect(altered.status == .ok, "\(altered.text)")
            #expect(altered.text.contains("memory.size = 512M"))
            #expect(altered.text.contains("cpu.count = 1"))
            let machine = await gateway.fleet.machines(group: "im-\(id)").machines.first {
                $0.metadata.extra["im.vm"] == "1"
            }
            #expect(machine?.memoryMiB == 512)
            #expect(machine?.state == .running)
            #expect(
                try await client.im(.put, "/infrastructures/\(id)/vms/1", body: "network x ()").status == .badRequest)

            #expect(try await client.im(.put, "/infrastructures/\(id)/vms/0/stop").status == .ok)
            #expect(try await client.im(.get, "/infrastructures/\(id)/vms/0/state").text == "stopped")
            let aggregate = try await client.im(.get, "/infrastructures/\(id)/state")
            #expect((aggregate.object["state"] as? [String: Any])?["state"] as? String == "stopped")
            #expect(try await client.im(.put, "/infrastructures/\(id)/vms/0/start").status == .ok)
            #expect(try await client.im(.put, "/infrastructures/\(id)/vms/0/reboot").status == .ok)
            #expect(try await client.im(.get, "/infrastructures/\(id)/vms/0/state").text == "configured")
            #expect(try await client.im(.put, "/infrastructures/\(id)/vms/0/fly").status == .notFound)

            let snapshot = try await client.im(
                .put, "/infrastructures/\(id)/vms/0/disks/0/snapshot?image_name=snap1&auto_delete=yes")
            #expect(snapshot.status == .ok, "\(snapshot.text)")
            #expect(snapshot.text.hasSuffix("/snapshots/snap1"))
            #expect(try await client.im(.put, "/infrastructures/\(id)/vms/0/disks/0/snapshot").status == .badRequest)
            #expect(
                try await client.im(.put, "/infrastructures/\(id)/vms/0/disks/9/snapshot?image_name=x").status
                    == .badRequest)

            let added = try await client.im(
                .post, "/infrastructures/\(id)?context=0", body: "system front\ndeploy front 2",
                accept: "application/json")
            #expect(added.status == .ok, "\(added.text)")
            let addedURIs =
                (added.object["uri-list"] as? [[String: String]])?.compactMap { $0["uri"]?.split(separator: "/").last }
                ?? []
            #expect(addedURIs == ["2", "3"])
            #expect(try await client.im(.post, "/infrastructures/\(id)?context=maybe", body: "").status == .badRequest)

            #expect(try await client.im(.delete, "/infrastructures/\(id)/vms/1,3").status == .ok)
            let remaining = try await client.im(.get, "/infrastructures/\(id)")
            #expect(remaining.text.split(separator: "\n").map { $0.split(separator: "/").last! } == ["0", "2"])
            #expect(try await client.im(.delete, "/infrastructures/\(id)/vms/1").status == .notFound)
            #expect(await gateway.fleet.machines(group: "im-\(id)").machines.count == 2)

            #expect(try await client.im(.put, "/infrastructures/\(id)/reconfigure?vm_list=0", body: "").status == .ok)
            #expect(
                try await client.im(.put, "/infrastructures/\(id)/reconfigure?vm_list=a,b", body: "").status
                    == .badRequest)
            #expect(
                try await client.im(.put, "/infrastructures/\(id)/reconfigure?vm_list=9", body: "").status == .notFound)
            #expect(try await client.im(.delete, "/infrastructures/\(id)").status == .ok)
        }
    }

    @Test("cloud-init recipes become a NoCloud seed CD-ROM; Ansible recipes leave the VM unconfigured")
    func contextualization() async throws {
        try await TestGateway.run(IMTest.configuration()) { client, gateway in
            let radl = """
                system node (memory.size >= 128m)
                configure node (
                @begin
                #cloud-config
                runcmd:
                  - touch /tmp/im
                @end
                )
                configure tools (
                @begin
                - tasks:
                  - debug: msg=hi
                @end
                )
                deploy node 1
                """
            let id = try await client.createInfrastructure(radl)
            let machine = try #require(await gateway.fleet.machines(group: "im-\(id)").machines.first)
            #expect(machine.disks.contains { $0.device == "cdrom" && $0.volume?.hasSuffix("-cidata.iso") == true })
            let contmsg = try await client.im(.get, "/infrastructures/\(id)/vms/0/contmsg").text
            #expect(contmsg.contains("NoCloud seed"))

            let ansible = "contextualize (system node configure tools)"
            #expect(try await client.im(.put, "/infrastructures/\(id)/reconfigure", body: ansible).status == .ok)
            #expect(try await client.im(.get, "/infrastructures/\(id)/vms/0/state").text == "unconfigured")
            #expect(try await client.im(.get, "/infrastructures/\(id)/vms/0/contmsg").text.contains("not cloud-init"))
            #expect(try await client.im(.delete, "/infrastructures/\(id)").status == .ok)
            let volumes = try await gateway.fleet.volumes(inPool: "vmgate")
            #expect(!volumes.contains { $0.name.hasSuffix("-cidata.iso") }, "seed volume removed with the VM")
        }
    }
}
