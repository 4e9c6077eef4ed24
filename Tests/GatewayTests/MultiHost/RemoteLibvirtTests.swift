import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

/// The test driver, `qemu:///system`, `qemu+ssh://` over loopback and a proxied second vmgate,
/// all in one gateway. Needs the daemons of `scripts/lib.sh` (VMGATE_QEMU_URI, VMGATE_SSH_URI).
@Suite(
    "Multi-host: remote libvirt", .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["VMGATE_QEMU_URI"] != nil
            && ProcessInfo.processInfo.environment["VMGATE_SSH_URI"] != nil))
struct RemoteLibvirtTests {
    static let env = ProcessInfo.processInfo.environment
    static var pool: String { env["VMGATE_QEMU_POOL"] ?? "vmgate" }

    /// Test driver `local` (group default), `qemu` (group lab), `ssh` on `sshPort` (group far),
    /// and, with `upstream`, proxy `remote` (group edge).
    static func configuration(sshPort: Int, upstream: String? = nil, store: String = ":memory:") throws
        -> GatewayConfiguration
    {
        var config =
            upstream.map { MultiHostConfig.withProxy(to: $0, store: store) } ?? TestGateway.configuration(store: store)
        let key = env["VMGATE_SSH_KEY"] ?? PrivateSSHD.keyDirectory + "/id_ed25519"
        let extra = try ConfigurationLoader.parse(
            """
            backends:
              - name: qemu
                uri: "\(env["VMGATE_QEMU_URI"] ?? "qemu:///system")"
                defaultPool: \(pool)
              - name: ssh
                uri: "qemu+ssh://root@127.0.0.1:\(sshPort)/system"
                sshKey: "\(key)"
                knownHosts: ignore
                keepaliveInterval: 1
                keepaliveCount: 2
                defaultPool: \(pool)
            templates:
              - name: tiny
                memoryMiB: 64
                disks: [{pool: \(pool), volume: "\(env["VMGATE_QEMU_BASE"] ?? "base.qcow2")"}]
            groups:
              - {name: lab, backends: [qemu], template: tiny}
              - {name: far, backends: [ssh], template: tiny}
            """)
        config.backends += extra.backends
        config.templates += extra.templates
        config.groups += extra.groups
        config.callTimeoutSeconds = 5
        return config
    }

    static func unique(_ prefix: String) -> String {
        prefix + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    @Test("each group lands on its backend; a machine made over ssh is the host's and controllable everywhere")
    func threeTransportsAndAProxy() async throws {
        let sshPort = Int(Self.env["VMGATE_SSH_PORT"] ?? "2222") ?? 2222
        try await LiveGateway.with(TestGateway.configuration()) { upstream in
            try await TestGateway.run(try Self.configuration(sshPort: sshPort, upstream: upstream.url)) {
                client, gateway in
                let names = (lab: Self.unique("mh-lab"), far: Self.unique("mh-far"), edge: Self.unique("mh-edge"))
                do {
                    let lab = try await client.json(
                        .post, "/api/v1/machines", json: #"{"name":"\#(names.lab)","group":"lab"}"#, expect: .created)
                    #expect(lab["id"] as? String == "qemu:\(names.lab)")
                    let far = try await client.json(
                        .post, "/api/v1/machines", json: #"{"name":"\#(names.far)","group":"far"}"#, expect: .created)
                    #expect(far["id"] as? String == "ssh:\(names.far)")
                    let edge = try await client.json(
                        .post, "/api/v1/machines", json: #"{"name":"\#(names.edge)","group":"edge"}"#, expect: .created)
                    #expect(edge["id"] as? String == "remote:\(names.edge)")
                    let home = try await client.json(
                        .post, "/api/v1/machines", json: #"{"name":"mh-home"}"#, expect: .created)
                    #expect(home["id"] as? String == "local:mh-home")

                    // The ssh backend reaches the same libvirtd as qemu:///system: the machine is really there.
                    let seen = try await gateway.fleet.call(try gateway.fleet.backends.backend("qemu"), "machine") {
                        try await $0.machine(named: names.far)
                    }
                    #expect(seen.metadata.group == "far")
                    let started = try await client.json(.post, "/api/v1/machines/ssh:\(names.far)/actions/start")
                    #expect(started["state"] as? String == "running")
                    let viaLocal = try await eventually {
                        try await gateway.fleet.machine("qemu:\(names.far)").state == .running
                    }
                    #expect(viaLocal, "the start over ssh is seen through the local connection")
                    _ = try await client.json(.post, "/api/v1/machines/qemu:\(names.far)/actions/poweroff")
                    #expect(
                        try await eventually { try await gateway.fleet.machine("ssh:\(names.far)").state == .shutoff })

                    let backends = try await client.list("/api/v1/backends")
                    #expect(Set(backends.compactMap { $0["name"] as? String }) == ["local", "qemu", "ssh", "remote"])
                    for backend in backends {
                        #expect((backend["health"] as? [String: Any])?["healthy"] as? Bool == true, "\(backend)")
                        #expect(backend["host"] != nil, "\(backend)")
                    }
                    let ssh = try #require(backends.first { $0["name"] as? String == "ssh" })
                    #expect(
                        (ssh["endpoint"] as? String)?.hasPrefix("qemu+ssh://root@127.0.0.1:\(sshPort)/system?keyfile=")
                            == true)
                    #expect((ssh["capabilities"] as? [String])?.contains("liveDiskSnapshots") == true)
                } catch {
                    await Self.cleanUp(gateway, [("qemu", names.lab), ("qemu", names.far), ("remote", names.edge)])
                    throw error
                }
                await Self.cleanUp(gateway, [("qemu", names.lab), ("qemu", names.far), ("remote", names.edge)])
                _ = try await client.json(.get, "/api/v1/machines/qemu:\(names.lab)", expect: .notFound)
            }
        }
    }

    @Test("sshd dies: 503 within the timeout, others keep serving, recovery on its own, nothing lost")
    func sshOutage() async throws {
        let sshd = try PrivateSSHD()
        try await sshd.start()
        defer { sshd.stop() }
        let name = Self.unique("mh-fault")
        try await TestGateway.run(try Self.configuration(sshPort: sshd.port)) { client, gateway in
            do {
                try await gateway.fleet.store.setValue(Data("kept".utf8), namespace: "multihost", key: "ssh")
                let created = try await client.json(
                    .post, "/api/v1/machines", json: #"{"name":"\#(name)","group":"far"}"#, expect: .created)
                #expect(created["id"] as? String == "ssh:\(name)")

                await sshd.kill()
                var sawOutage = false
                let outageDeadline = ContinuousClock.now + .seconds(15)
                while !sawOutage, ContinuousClock.now < outageDeadline {
                    let started = ContinuousClock.now
                    let (status, _, _) = try await client.send(.get, "/api/v1/backends/ssh/host")
                    #expect(ContinuousClock.now - started < .seconds(6), "a call never hangs past the call timeout")
                    sawOutage = status == .serviceUnavailable
                    if !sawOutage { try await Task.sleep(for: .milliseconds(200)) }
                }
                #expect(sawOutage, "requests to the ssh backend get 503")
                let started = ContinuousClock.now
                _ = try await client.json(
                    .post, "/api/v1/machines/ssh:\(name)/actions/start", expect: .serviceUnavailable)
                #expect(ContinuousClock.now - started < .seconds(6))
                _ = try await client.json(.get, "/api/v1/machines/local:fixture-one")
                _ = try await client.json(.get, "/api/v1/backends/qemu/host")
                let health = try await client.json(.get, "/api/v1/backends/ssh")["health"] as? [String: Any]
                #expect(health?["healthy"] as? Bool == false)
                let list = try await client.json(.get, "/api/v1/machines")
                #expect((list["warnings"] as? [String])?.contains { $0.contains("ssh") } == true)

                try await sshd.start()
                let recovered = try await eventually(seconds: 60) {
                    try await client.send(.get, "/api/v1/machines/ssh:\(name)").status == .ok
                }
                #expect(recovered, "the backend reconnects by itself once sshd is back")
                let machine = try await client.json(.get, "/api/v1/machines/ssh:\(name)")
                #expect(machine["group"] as? String == "far")
                #expect(
                    (try await client.json(.get, "/api/v1/backends/ssh")["health"] as? [String: Any])?["healthy"]
                        as? Bool == true)
                #expect(try await gateway.fleet.store.value(namespace: "multihost", key: "ssh") == Data("kept".utf8))
            } catch {
                await Self.cleanUp(gateway, [("qemu", name)])
                throw error
            }
            await Self.cleanUp(gateway, [("qemu", name)])
        }
    }

    @Test("the ssh session freezes: 503 within the timeout, keepalive drops the link, a fresh session serves")
    func sshFreeze() async throws {
        let sshd = try PrivateSSHD()
        try await sshd.start()
        defer { sshd.stop() }
        try await TestGateway.run(try Self.configuration(sshPort: sshd.port)) { client, _ in
            _ = try await client.json(.get, "/api/v1/backends/ssh/host")
            sshd.freezeSessions(true)
            let started = ContinuousClock.now
            let (status, _, _) = try await client.send(.get, "/api/v1/backends/ssh/host")
            #expect(status == .serviceUnavailable)
            #expect(ContinuousClock.now - started < .seconds(6), "the call deadline (5 s) holds")
            // Keepalive (1 s x 2) drops the frozen link; the next call opens a fresh session
            // (sshd itself still accepts), so the backend recovers without the frozen one.
            let dropped = try await eventually(seconds: 10) {
                let health = try await client.json(.get, "/api/v1/backends/ssh")["health"] as? [String: Any]
                // The message says the link is gone (libvirt's own words stay in the log).
                let lastError = health?["lastError"] as? String ?? ""
                return ["keepalive", "connection to libvirt lost", "connection closed"].contains {
                    lastError.contains($0)
                }
            }
            #expect(dropped, "keepalive marks the frozen link dead")
            _ = try await client.json(.get, "/api/v1/machines/local:fixture-one")
            let recovered = try await eventually(seconds: 60) {
                try await client.send(.get, "/api/v1/backends/ssh/host").status == .ok
            }
            sshd.freezeSessions(false)
            #expect(recovered)
        }
    }

    /// Deletes machines (with their disks), ignoring ones that are gone.
    static func cleanUp(_ gateway: Gateway, _ machines: [(String, String)]) async {
        for (backend, name) in machines {
            try? await gateway.fleet.deleteMachine(
                "\(backend):\(name)", options: .init(removeOwnedDisks: true, force: true))
        }
    }
}

/// Polls until `condition` holds or `seconds` pass.
func eventually(seconds: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? await condition()) == true { return true }
        try await Task.sleep(for: .milliseconds(250))
    }
    return try await condition()
}
