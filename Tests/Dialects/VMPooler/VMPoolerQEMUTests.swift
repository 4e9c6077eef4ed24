import Foundation
import Gateway
import GatewayTestSupport
import Testing

/// The pool manager against real QEMU through libvirtd (set VMGATE_QEMU_URI).
@Suite("vmpooler on real QEMU", .serialized)
struct VMPoolerQEMUTests {
    static let environment = ProcessInfo.processInfo.environment

    static func configuration(pool name: String) throws -> GatewayConfiguration {
        var config = TestGateway.qemuConfiguration()
        config.groups = [
            .init(name: name, backends: ["qemu"], template: "tiny", size: 2, options: ["vmpooler": "true"])
        ]
        config.dialects = [
            .init(
                name: "vmpooler",
                options: ["loopInterval": "0.2", "domain": "example.com", "experimentalFeatures": "true"])
        ]
        return config
    }

    @Test(
        "a pool of 2 fills, a checkout is deleted and refilled, a restarted gateway adopts the VMs",
        .enabled(if: environment["VMGATE_QEMU_URI"] != nil), .timeLimit(.minutes(3)))
    func poolOnQEMU() async throws {
        let pool = "vmpooler-qemu-\(UUID().uuidString.prefix(8).lowercased())"
        let config = try Self.configuration(pool: pool)
        do {
            try await TestGateway.run(config) { client, gateway in
                try await client.waitForReady(2, seconds: 60)
                let machines = await gateway.fleet.machines(group: pool).machines
                #expect(machines.count == 2 && machines.allSatisfy { $0.state == .running })
                let host = try await client.checkoutOne(pool)
                let (disk, _) = try await client.pooler(.post, "/vmpooler/api/v1/vm/\(host)/disk/1")
                #expect(disk == .accepted)
                #expect(try await client.vmInfo(host)["disk"] as? [String] == ["+1gb"])
                #expect(try await gateway.fleet.machine("qemu:\(host)").disks.count == 2)
                #expect(try await client.pooler(.delete, "/vmpooler/vm/\(host)").status == .ok)
                try await client.waitUntil("deleted VM destroyed", seconds: 60) {
                    (try? await gateway.fleet.machine("qemu:\(host)")) == nil
                }
                // The added disk is deleted right after the machine, once nothing uses it any more.
                try await client.waitUntil("the added disk went with the VM", seconds: 30) {
                    let pool = Self.environment["VMGATE_QEMU_POOL"] ?? "vmgate"
                    let volumes = (try? await gateway.fleet.volumes(inPool: pool)) ?? []
                    return !volumes.contains { $0.name.hasPrefix(host) }
                }
                try await client.waitForReady(2, seconds: 60)
                let kept = try await client.checkoutOne(pool)
                try await client.waitForReady(2, seconds: 60)
                _ = try await client.pooler(.put, "/vmpooler/vm/\(kept)", json: #"{"lifetime":5,"tags":{"team":"qa"}}"#)
            }
            // A new gateway finds the 2 ready VMs and the checked-out one; it clones nothing.
            try await TestGateway.run(config) { client, gateway in
                try await client.waitForReady(2, seconds: 30)
                let running = await gateway.fleet.machines(group: pool).machines
                    .filter { $0.metadata.extra["vmpooler.state"] == "running" }
                #expect(running.count == 1)
                let kept = try #require(running.first?.name)
                let info = try await client.vmInfo(kept)
                #expect(info["state"] as? String == "running")
                #expect(info["lifetime"] as? Int == 5)
                #expect((info["tags"] as? [String: String])?["team"] == "qa")
                try await Task.sleep(for: .seconds(1))
                #expect(await gateway.fleet.machines(group: pool).machines.count == 3)
                _ = try await client.pooler(.post, "/vmpooler/api/v3/config/poolsize", json: #"{"\#(pool)":"0"}"#)
                try await Self.cleanUp(gateway, pool)
            }
        } catch {
            try? await TestGateway.run(config) { client, gateway in
                _ = try await client.pooler(.post, "/vmpooler/api/v3/config/poolsize", json: #"{"\#(pool)":"0"}"#)
                try await Self.cleanUp(gateway, pool)
            }
            throw error
        }
    }

    static func cleanUp(_ gateway: Gateway, _ pool: String) async throws {
        try await Task.sleep(for: .milliseconds(500))
        for machine in await gateway.fleet.machines(group: pool).machines {
            try? await gateway.fleet.deleteMachine(machine.id)
        }
        #expect(await gateway.fleet.machines(group: pool).machines.isEmpty)
    }
}
