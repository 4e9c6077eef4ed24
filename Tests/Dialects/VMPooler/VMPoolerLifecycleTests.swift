import Foundation
import Gateway
import GatewayCore
import GatewayTestSupport
import Spec
import Testing

@Suite("vmpooler: reaper, adoption, snapshots, disks, config")
struct VMPoolerLifecycleTests {
    @Test("the reaper destroys VMs whose lifetime ran out, and replaces stale ready VMs")
    func reaper() async throws {
        // 0.0005 h = 1.8 s lifetime; ready VMs live 0.02 min = 1.2 s.
        let config = Pooler.configuration(debian: 1, centos: 1, options: ["vmLifetime": "0.0005", "readyTTL": "0.02"])
        try await Pooler.run(config) { client, gateway in
            let host = try await client.checkoutOne("debian-7-x86_64")
            let firstReady = await gateway.fleet.machines(group: "centos-6-x86_64").machines.map(\.name)
            try await client.waitUntil("expired VM destroyed", seconds: 15) {
                (try? await gateway.fleet.machine("local:\(host)")) == nil
            }
            #expect(try await client.vmInfo(host)["state"] as? String == "destroyed")
            try await client.waitUntil("stale ready VM replaced", seconds: 15) {
                let now = await gateway.fleet.machines(group: "centos-6-x86_64").machines.map(\.name)
                return !now.isEmpty && Set(now).isDisjoint(with: firstReady)
            }
        }
    }

    @Test("VMs found on the backends are adopted, not duplicated; expired adopted VMs are reaped")
    func adoption() async throws {
        try await Pooler.run(Pooler.configuration(debian: 2, centos: 0)) { client, gateway in
            // As a restarted gateway finds them: a ready VM and a checked-out VM whose lease ran out.
            _ = try await gateway.fleet.createMachine(
                CreateMachineRequest(
                    name: "adoptedready000", template: "demo", group: "debian-7-x86_64",
                    extra: ["vmpooler.state": "ready"], start: true))
            // Its lease (0.0002 h) counts from creation when no lease start was recorded.
            _ = try await gateway.fleet.createMachine(
                CreateMachineRequest(
                    name: "adoptedrun00000", template: "demo", group: "debian-7-x86_64", tags: ["user": "jdoe"],
                    lifetimeHours: 0.0002, extra: ["vmpooler.state": "running"], start: true))
            _ = try await gateway.fleet.createMachine(
                CreateMachineRequest(
                    name: "adoptedrun00001", template: "demo", group: "debian-7-x86_64", lifetimeHours: 5,
                    extra: ["vmpooler.state": "running"], start: true))
            try await client.waitForReady(3)
            try await client.waitUntil("running VM adopted") { try await !client.vmInfo("adoptedrun00001").isEmpty }
            #expect(try await client.vmInfo("adoptedready000")["state"] as? String == "ready")
            #expect(try await client.vmInfo("adoptedrun00001")["lifetime"] as? Int == 5)
            try await client.waitUntil("expired adopted VM reaped") {
                (try? await gateway.fleet.machine("local:adoptedrun00000")) == nil
            }
            // Nothing extra was cloned: 3 ready + 1 running.
            try await Task.sleep(for: .milliseconds(300))
            #expect(await gateway.fleet.machines(group: "debian-7-x86_64").machines.count == 4)
            // A VM deleted behind the pool's back is noticed and replaced.
            try await gateway.fleet.deleteMachine("local:adoptedready000")
            try await client.waitUntil("vanished VM forgotten") {
                try await client.vmInfo("adoptedready000")["state"] as? String == "destroyed"
            }
            try await client.waitForReady(2)
        }
    }

    @Test("snapshots, revert and disk requests of a checked-out VM")
    func snapshotsAndDisks() async throws {
        try await Pooler.run { client, gateway in
            let host = try await client.checkoutOne("debian-7-x86_64")
            let (s1, b1) = try await client.pooler(.post, "/vmpooler/vm/\(host)/snapshot")
            #expect(s1 == .accepted)
            let snapshot = try #require(((b1 as? [String: Any])?[host] as? [String: Any])?["snapshot"] as? String)
            #expect(snapshot.count == 32)
            #expect(try await client.vmInfo(host)["snapshots"] as? [String] == [snapshot])
            #expect(try await gateway.fleet.snapshots(of: "local:\(host)").map(\.name) == [snapshot])
            #expect(
                try await client.pooler(.post, "/vmpooler/api/v1/vm/\(host)/snapshot/\(snapshot)").status == .accepted)
            #expect(try await client.pooler(.post, "/vmpooler/vm/\(host)/snapshot/nosuchsnapshot").status == .notFound)
            #expect(try await client.pooler(.post, "/vmpooler/vm/nosuchhost/snapshot").status == .notFound)

            // The test driver cannot attach disks (real QEMU can: see VMPoolerQEMUTests): 501, and the
            // volume made for it is removed again.
            let (s2, b2) = try await client.pooler(.post, "/vmpooler/api/v3/vm/\(host)/disk/8")
            #expect(s2 == .notImplemented)
            #expect((b2 as? [String: Any])?["ok"] as? Bool == false)
            #expect(try await client.vmInfo(host)["disk"] == nil)
            #expect(
                try await gateway.fleet.volumes(inPool: "vmgate").map(\.name).allSatisfy {
                    !$0.hasPrefix("\(host)-disk")
                })
            #expect(try await client.pooler(.post, "/vmpooler/vm/\(host)/disk/0").status == .badRequest)
            #expect(try await client.pooler(.post, "/vmpooler/vm/\(host)/disk/abc").status == .badRequest)

            #expect(try await client.pooler(.delete, "/vmpooler/vm/\(host)").status == .ok)
            try await client.waitUntil("added volume deleted with the VM") {
                let volumes = try await gateway.fleet.volumes(inPool: "vmgate").map(\.name)
                return !volumes.contains { $0.hasPrefix(host) }
            }
        }
    }

    @Test("config: pool size and template overrides, pool reset")
    func config() async throws {
        try await Pooler.run(Pooler.configuration(options: ["experimentalFeatures": "true"])) { client, gateway in
            let before = Set(await gateway.fleet.machines(group: "centos-6-x86_64").machines.map(\.name))
            #expect(
                try await client.pooler(.post, "/vmpooler/api/v3/poolreset", json: #"{"centos-6-x86_64":"1"}"#).status
                    == .created)
            try await client.waitUntil("pool replaced") {
                let now = await gateway.fleet.machines(group: "centos-6-x86_64").machines
                return now.count == 2 && Set(now.map(\.name)).isDisjoint(with: before)
                    && now.allSatisfy { $0.metadata.extra["vmpooler.state"] == "ready" }
            }
            #expect(
                try await client.pooler(.post, "/vmpooler/api/v3/poolreset", json: #"{"nosuch":"1"}"#).status
                    == .badRequest)

            #expect(
                try await client.pooler(.post, "/vmpooler/api/v3/config/poolsize", json: #"{"centos-6-x86_64":"4"}"#)
                    .status == .created)
            try await client.waitForReady(7)
            #expect(
                try await client.pooler(.post, "/vmpooler/api/v3/config/poolsize", json: #"{"centos-6-x86_64":"4"}"#)
                    .status == .ok)
            #expect(
                try await client.pooler(.post, "/vmpooler/api/v3/config/poolsize", json: #"{"nosuch":"4"}"#).status
                    == .badRequest)
            #expect(
                try await client.pooler(.post, "/vmpooler/api/v3/config/poolsize", json: #"{"centos-6-x86_64":"-1"}"#)
                    .status == .badRequest)
            let (reset, body) = try await client.pooler(.delete, "/vmpooler/api/v3/config/poolsize/centos-6-x86_64")
            #expect(reset == .created)
            #expect((body as? [String: Any])?["pool_size_before_reset"] as? Int == 4)
            #expect((body as? [String: Any])?["pool_size_before_overrides"] as? Int == 2)
            #expect(try await client.pooler(.delete, "/vmpooler/api/v3/config/poolsize/nosuch").status == .notFound)

            #expect(
                try await client.pooler(
                    .post, "/vmpooler/api/v3/config/pooltemplate", json: #"{"centos-6-x86_64":"nosuchtemplate"}"#
                ).status == .badRequest)
            #expect(
                try await client.pooler(
                    .post, "/vmpooler/api/v3/config/pooltemplate", json: #"{"centos-6-x86_64":"demo"}"#
                ).status == .ok)
            let config = try await client.pooler(.get, "/vmpooler/api/v3/config").body as? [String: Any]
            #expect((config?["pool_configuration"] as? [[String: Any]])?.count == 2)
        }
    }
}
