import Foundation
import Gateway
import GatewayCore
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// The Kimchi lifecycle once against real QEMU through libvirtd (set VMGATE_QEMU_URI).
@Suite("Kimchi and virtualization-server on real QEMU", .serialized)
struct KimchiQEMUTests {
    static let environment = ProcessInfo.processInfo.environment

    static func configuration() throws -> GatewayConfiguration {
        var config = TestGateway.qemuConfiguration(blankDiskGiB: 0.0625)
        config.groups = try ConfigurationLoader.parse(
            "groups: [{name: default, backends: [qemu], template: tiny}, {name: vserver, backends: [qemu]}]"
        ).groups
        config.defaultGroup = "default"
        config.dialects = try ConfigurationLoader.parse(
            """
            dialects:
              - name: native
              - name: kimchi
              - name: virtualization-server
                options: {group: vserver, disk_size_kib: "65536"}
            """
        ).dialects
        return config
    }

    @Test(
        "Kimchi: create, start, stats, screenshot, stop, delete",
        .enabled(if: environment["VMGATE_QEMU_URI"] != nil), .timeLimit(.minutes(3)))
    func kimchiLifecycle() async throws {
        let name = "vmgate-kimchi-\(UUID().uuidString.prefix(8).lowercased())"
        try await TestGateway.run(try Self.configuration()) { client, gateway in
            var failure: (any Error)?
            do {
                let vm = try await client.json(
                    .post, "/kimchi/vms", json: #"{"name":"\#(name)","template":"/templates/tiny"}"#, expect: .created)
                #expect(vm["state"] as? String == "shutoff")
                #expect(vm["memory"] as? Int == 64)
                let started = try await client.json(.post, "/kimchi/vms/\(name)/start")
                #expect(started["state"] as? String == "running")
                let graphics = try #require(started["graphics"] as? [String: Any])
                #expect(graphics["type"] as? String == "vnc")
                #expect((graphics["port"] as? Int ?? 0) > 0, "QEMU assigned a VNC port")
                let cpu = try #require((started["stats"] as? [String: Any])?["cpu_utilization"] as? Double)
                #expect(cpu >= 0 && cpu <= 100)

                try await Task.sleep(for: .seconds(2))  // let SeaBIOS draw something
                let (status, _, headers) = try await client.send(.get, "/kimchi/vms/\(name)/screenshot")
                #expect(status == .seeOther)
                let image = try await client.send(.get, try #require(headers[.location]))
                #expect(image.status == .ok)
                let png = Array(image.body.readableBytesView)
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
                #expect(png.count > 1000)

                let stopped = try await client.json(.post, "/kimchi/vms/\(name)/stop")
                #expect(stopped["state"] as? String == "shutoff")
                _ = try await client.json(.get, "/kimchi/vms/\(name)/screenshot", expect: .notFound)
                #expect(try await client.send(.delete, "/kimchi/vms/\(name)").status == .noContent)
                _ = try await client.json(.get, "/kimchi/vms/\(name)", expect: .notFound)
            } catch { failure = error }
            try? await gateway.fleet.deleteMachine("qemu:\(name)")  // cleanup, whatever happened
            if let failure { throw failure }
        }
    }

    @Test(
        "virtualization-server: create, start, halt, delete",
        .enabled(if: environment["VMGATE_QEMU_URI"] != nil), .timeLimit(.minutes(3)))
    func vserverLifecycle() async throws {
        try await TestGateway.run(try Self.configuration()) { client, gateway in
            let made = try await client.json(
                .post, "/vserver/virtual_machines", json: #"{"cpu_count":1,"memory_size":65536}"#, expect: .created)
            let uuid = try #require(made["uuid"] as? String)
            var failure: (any Error)?
            do {
                #expect(made["state"] as? String == "shut off")
                #expect((made["disks"] as? [[String: Any]])?.first?["size"] as? Int == 65536)
                let started = try await client.json(
                    .patch, "/vserver/virtual_machines/\(uuid)", json: #"{"state":"started"}"#)
                #expect(started["state"] as? String == "running")
                _ = try await client.json(
                    .patch, "/vserver/virtual_machines/\(uuid)", json: #"{"state":"started"}"#, expect: .conflict)
                let halted = try await client.json(
                    .patch, "/vserver/virtual_machines/\(uuid)", json: #"{"state":"halted"}"#)
                #expect(halted["state"] as? String == "shut off")
                #expect(try await client.send(.delete, "/vserver/virtual_machines/\(uuid)").status == .ok)
                _ = try await client.json(.get, "/vserver/virtual_machines/\(uuid)", expect: .notFound)
            } catch { failure = error }
            try? await gateway.fleet.deleteMachine(uuid)  // cleanup, whatever happened
            if let failure { throw failure }
        }
    }

    @Test(
        "Kimchi: an ISO in a real pool reports distribution, version and bootability",
        .enabled(
            if: environment["VMGATE_QEMU_URI"] != nil
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/genisoimage")),
        .timeLimit(.minutes(2)))
    func isoDetection() async throws {
        let uri = Self.environment["VMGATE_QEMU_URI"] ?? "qemu:///system"
        let poolName = Self.environment["VMGATE_QEMU_POOL"] ?? "vmgate"
        let name = "vmgate-kimchi-\(UUID().uuidString.prefix(8).lowercased()).iso"
        try await TestGateway.run(try Self.configuration()) { client, _ in
            let pool = try await client.json(.get, "/kimchi/storagepools/\(poolName)")
            let directory = try #require(pool["path"] as? String)
            let source = FileManager.default.temporaryDirectory.appendingPathComponent(
                "vmgate-iso-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: source) }
            try Data(repeating: 0, count: 2048).write(to: source.appendingPathComponent("boot.img"))
            let path = directory + "/" + name
            try await Self.run(
                "/usr/bin/genisoimage",
                [
                    "-quiet", "-V", "Fedora-S-dvd-x86_64-39", "-b", "boot.img", "-no-emul-boot",
                    "-o", path, source.path,
                ])
            defer { try? FileManager.default.removeItem(atPath: path) }
            try await Self.run("/usr/bin/virsh", ["-q", "-c", uri, "pool-refresh", poolName])

            let isos = try await client.list("/kimchi/storagepools/kimchi_isos/storagevolumes")
            let iso = try #require(isos.first { $0["name"] as? String == name })
            #expect(iso["format"] as? String == "iso")
            #expect(iso["os_distro"] as? String == "fedora")
            #expect(iso["os_version"] as? String == "39")
            #expect(iso["bootable"] as? Bool == true)
            // The ISO was put into the pool by hand, not through the gateway: the gateway keeps it.
            #expect(
                try await client.send(.delete, "/kimchi/storagepools/\(poolName)/storagevolumes/\(name)").status
                    == .conflict)
        }
    }

    @Test(
        "Kimchi: volume resize and wipe run as tasks on a real pool",
        .enabled(if: environment["VMGATE_QEMU_URI"] != nil), .timeLimit(.minutes(2)))
    func volumeTasks() async throws {
        let pool = Self.environment["VMGATE_QEMU_POOL"] ?? "vmgate"
        let name = "vmgate-kimchi-\(UUID().uuidString.prefix(8).lowercased()).raw"
        let uri = "/kimchi/storagepools/\(pool)/storagevolumes"
        try await TestGateway.run(try Self.configuration()) { client, gateway in
            _ = try await client.json(
                .post, uri, json: #"{"name":"\#(name)","capacity":16,"format":"raw"}"#, expect: .created)
            var failure: (any Error)?
            do {
                let resize = try await client.json(
                    .post, "\(uri)/\(name)/resize", json: #"{"size":32}"#, expect: .accepted)
                #expect(resize["target"] as? String == "\(uri)/\(name)")
                let resized = try await gateway.fleet.tasks.wait(for: try #require(resize["id"] as? String))
                #expect(resized.status == .finished, "\(resized.message)")
                #expect(try await client.json(.get, "\(uri)/\(name)")["capacity"] as? Int == 32)
                let wipe = try await client.json(.post, "\(uri)/\(name)/wipe", expect: .accepted)
                let id = try #require(wipe["id"] as? String)
                _ = try await gateway.fleet.tasks.wait(for: id)
                let done = try await client.json(.get, "/kimchi/tasks/\(id)")
                #expect(done["status"] as? String == "finished")
                #expect((done["message"] as? String ?? "").contains("wiped"))
                try await client.kimchiError(.post, "\(uri)/\(name)/resize", json: #"{"size":-3}"#, expect: .badRequest)
            } catch { failure = error }
            _ = try? await client.send(.delete, "\(uri)/\(name)")  // cleanup, whatever happened
            if let failure { throw failure }
        }
    }

    static func run(_ tool: String, _ arguments: [String]) async throws {
        let outcome = try await ChildProcess.run(tool, arguments)
        #expect(outcome.status == 0, "\(tool) \(arguments.joined(separator: " ")): \(outcome.errorOutput)")
    }
}
