import Foundation
import Gateway
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Raw machine definitions: off unless an operator enables the backend-level routes, and even
/// then checked against the definition policy before libvirt sees them.
@Suite("Hardening: raw machine definitions")
struct DefinitionTests {
    static func configuration(backendRoutes: Bool) -> GatewayConfiguration {
        var config = TestGateway.configuration()
        if backendRoutes { config.dialects[0].options = ["backendRoutes": "true"] }
        return config
    }

    static func domain(_ name: String, devices: String = "", metadata: String = "") -> String {
        """
        <domain type='test'><name>\(name)</name><memory unit='KiB'>131072</memory><vcpu>1</vcpu>
        <os><type arch='x86_64'>hvm</type></os><metadata>\(metadata)</metadata><devices>\(devices)</devices></domain>
        """
    }

    @Test("the backend-level routes are off by default: 404 in the native format")
    func offByDefault() async throws {
        try await TestGateway.run(Self.configuration(backendRoutes: false)) { client, _ in
            for (method, path) in [
                (HTTPRequest.Method.post, "/api/v1/backends/local/definitions"),
                (.post, "/api/v1/backends/local/machines"), (.get, "/api/v1/backends/local/machines"),
                (.post, "/api/v1/backends/local/pools/vmgate/uploads?name=x&format=raw"),
                (.delete, "/api/v1/backends/local/pools/vmgate/volumes/base.qcow2"),
            ] {
                let reply = try await client.send(method, path, json: Self.domain("x"))
                #expect(reply.status == .notFound, "\(method) \(path)")
                #expect(String(buffer: reply.body).contains("backendRoutes"))
            }
            _ = try await client.json(.get, "/api/v1/storage/pools/vmgate/volumes/base.qcow2")
        }
    }

    @Test("a DOCTYPE with an external entity is refused and nothing is read")
    func externalEntity() async throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("vmgate-secret-\(UUID())")
        try Data("TOP-SECRET-LINE\n".utf8).write(to: secret)
        defer { try? FileManager.default.removeItem(at: secret) }
        let xml = """
            <?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://\(secret.path)">]>
            """ + Self.domain("&x;")
        try await TestGateway.run(Self.configuration(backendRoutes: true)) { client, _ in
            let reply = try await client.send(.post, "/api/v1/backends/local/definitions", json: xml)
            #expect(reply.status == .badRequest)
            #expect(String(buffer: reply.body).contains("DOCTYPE"))
            #expect(!String(buffer: reply.body).contains("TOP-SECRET"))
            let backends = try await client.send(.get, "/api/v1/backends")
            #expect(!String(buffer: backends.body).contains("TOP-SECRET"))
        }
    }

    @Test(
        "host devices, host paths and foreign namespaces are refused",
        arguments: [
            "<disk type='block' device='disk'><source dev='/dev/sda'/><target dev='vda'/></disk>",
            "<disk type='file' device='disk'><source file='/etc/shadow'/><target dev='vda'/></disk>",
            "<disk type='file' device='disk'><source file='/vmgate-pool/../etc/shadow'/><target dev='vda'/></disk>",
            "<disk type='network' device='disk'><source protocol='nbd' name='x'/><target dev='vda'/></disk>",
            "<hostdev mode='subsystem' type='pci'><source><address bus='0' slot='1'/></source></hostdev>",
            "<filesystem type='mount'><source dir='/'/><target dir='root'/></filesystem>",
            "<serial type='file'><source path='/etc/passwd'/></serial>",
            "<interface type='ethernet'><script path='/bin/sh'/></interface>",
            "<graphics type='vnc'><listen type='socket' socket='/etc/x.sock'/></graphics>",
        ])
    func refusedDevices(device: String) async throws {
        try await TestGateway.run(Self.configuration(backendRoutes: true)) { client, _ in
            let reply = try await client.send(
                .post, "/api/v1/backends/local/definitions", json: Self.domain("evil", devices: device))
            #expect(reply.status == .badRequest, "\(String(buffer: reply.body))")
            _ = try await client.json(.get, "/api/v1/machines/local:evil", expect: .notFound)
        }
    }

    @Test("qemu:commandline and host kernels are refused")
    func commandline() async throws {
        let qemu = """
            <domain type='test' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><name>evil</name>
            <memory>131072</memory><os><type>hvm</type></os>
            <qemu:commandline><qemu:arg value='-monitor'/></qemu:commandline></domain>
            """
        let kernel =
            "<domain type='test'><name>evil</name><memory>131072</memory><os><type>hvm</type>"
            + "<kernel>/boot/vmlinuz</kernel></os></domain>"
        try await TestGateway.run(Self.configuration(backendRoutes: true)) { client, _ in
            for xml in [qemu, kernel] {
                let reply = try await client.send(.post, "/api/v1/backends/local/definitions", json: xml)
                #expect(reply.status == .badRequest, "\(String(buffer: reply.body))")
            }
        }
    }

    @Test("ownership written in a definition is ignored: deleting the machine keeps another machine's disk")
    func ownershipFromTheClientIsIgnored() async throws {
        try await TestGateway.run(Self.configuration(backendRoutes: true)) { client, _ in
            try await client.send(.post, "/api/v1/machines", json: #"{"name":"victim"}"#)
            let victim = try await client.json(.get, "/api/v1/machines/victim")
            let disk = (victim["disks"] as? [[String: Any]])?.first
            let path = try #require(disk?["path"] as? String)
            let volume = try #require(disk?["volume"] as? String)
            let metadata =
                "<vmgate:machine xmlns:vmgate='https://vmgate.dev/xmlns/machine/1'>"
                + "<vmgate:disk path='\(path)' owned='yes'/></vmgate:machine>"
            let devices = "<disk type='file' device='disk'><source file='\(path)'/><target dev='vda'/></disk>"
            let reply = try await client.send(
                .post, "/api/v1/backends/local/definitions",
                json: Self.domain("thief", devices: devices, metadata: metadata))
            #expect(reply.status == .created, "\(String(buffer: reply.body))")
            let deleted = try await client.send(.delete, "/api/v1/machines/local:thief")
            #expect(deleted.status == .noContent)
            _ = try await client.json(.get, "/api/v1/storage/pools/vmgate/volumes/\(volume)")
        }
    }
}
