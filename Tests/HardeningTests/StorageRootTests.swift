import Foundation
import Gateway
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Storage pools only inside a backend's storage roots, never at `/`, in system directories or
/// in the gateway's data directory.
@Suite("Hardening: storage roots")
struct StorageRootTests {
    static func configuration() -> GatewayConfiguration {
        var config = TestGateway.configuration()
        config.dialects = try! ConfigurationLoader.parse(
            "dialects: [{name: native, options: {backendRoutes: 'true'}}, {name: kimchi}]"
        ).dialects
        return config
    }

    @Test(
        "Kimchi and the native backend route refuse pools outside the roots",
        arguments: [
            "/etc", "/", "/var/lib/libvirt/images/../../../etc", "/var/lib/libvirt/images/./x", "/usr/lib/x",
            "/home/x", "/var/lib/libvirt/qemu",
        ])
    func refused(path: String) async throws {
        try await TestGateway.run(Self.configuration()) { client, _ in
            let kimchi = try await client.send(
                .post, "/kimchi/storagepools", json: #"{"name":"p1","type":"dir","path":"\#(path)"}"#)
            #expect(kimchi.status == .badRequest, "\(path): \(String(buffer: kimchi.body))")
            let native = try await client.send(
                .post, "/api/v1/backends/local/pools", json: #"{"name":"p2","type":"dir","path":"\#(path)"}"#)
            #expect(native.status == .badRequest, "\(path): \(String(buffer: native.body))")
            let pools = try await client.list("/api/v1/storage/pools").compactMap { $0["name"] as? String }
            #expect(!pools.contains("p1") && !pools.contains("p2"))
        }
    }

    @Test("a pool under the default root is created")
    func allowed() async throws {
        try await TestGateway.run(Self.configuration()) { client, _ in
            let created = try await client.json(
                .post, "/kimchi/storagepools",
                json: #"{"name":"p1","type":"dir","path":"/var/lib/libvirt/images/p1"}"#, expect: .created)
            #expect(created["path"] as? String == "/var/lib/libvirt/images/p1")
        }
    }

    @Test("configured roots apply, and the gateway's data directory is never a pool")
    func configuredRoots() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("vmgate-roots-\(UUID())")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        var config = Self.configuration()
        config.store.path = data.appendingPathComponent("vmgate.sqlite").path
        config.backends[0].storageRoots = ["/srv/pools", data.deletingLastPathComponent().path]
        #expect(throws: ConfigurationLoader.Failure.self) { try ConfigurationLoader.validate(config) }
        config.backends[0].storageRoots = ["/srv/pools"]
        try await TestGateway.run(config) { client, _ in
            _ = try await client.json(
                .post, "/kimchi/storagepools", json: #"{"name":"p1","type":"dir","path":"/srv/pools/a"}"#,
                expect: .created)
            let outside = try await client.send(
                .post, "/kimchi/storagepools",
                json: #"{"name":"p2","type":"dir","path":"/var/lib/libvirt/images/b"}"#)
            #expect(outside.status == .badRequest)
        }
        for root in ["/", "/etc", "relative", "/usr"] {
            config.backends[0].storageRoots = [root]
            #expect(throws: ConfigurationLoader.Failure.self, "\(root)") { try ConfigurationLoader.validate(config) }
        }
    }
}
