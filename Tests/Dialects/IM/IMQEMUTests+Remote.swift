import DialectKit
import Foundation
import GatewayCore
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Libvirt
import Logging
import Spec
import Store
import Testing

@testable import Gateway

extension IMQEMUTests {
    /// A gateway whose only backend is `qemu+ssh://` (VMGATE_SSH_URI) behind a
    /// ``PathHidingBackend``: every host path it reports lies under a directory the gateway does
    /// not have, as for a libvirt host elsewhere.
    static func withRemoteGateway(_ body: @Sendable (any TestClientProtocol, LibvirtBackend) async throws -> Void)
        async throws
    {
        let env = ProcessInfo.processInfo.environment
        var config = configuration()
        config.backends[0].name = "ssh"
        config.backends[0].uri = env["VMGATE_SSH_URI"]
        config.groups[0].backends = ["ssh"]
        var logger = Logger(label: "im-remote")
        logger.logLevel = .warning
        let libvirt = LibvirtBackend(
            name: "ssh", configuration: config.backends[0].libvirtConfiguration, logger: logger)
        try await libvirt.connect()
        var registry = BackendRegistry()
        registry.use(PathHidingBackend(libvirt), defaults: config.backends[0].defaults)
        let store = try SQLiteStore.inMemory()
        let groups = GroupDirectory(configured: config.groups.map { $0.group(defaultBackends: ["ssh"]) }, store: store)
        try await groups.load()
        let fleet = Fleet(backends: registry, groups: groups, store: store, callTimeout: 60, logger: logger)
        try await Bootstrap.seed(config, fleet: fleet, logger: logger)
        let router = Router(context: GatewayContext.self)
        for mount in try Gateway.mountDialects(config, fleet: fleet, logger: logger) {
            router.addRoutes(mount.dialect.routes(), atPath: RouterPath(mount.prefix))
        }
        do {
            try await Application(router: router).test(.router) { client in try await body(client, libvirt) }
        } catch {
            await libvirt.close()
            throw error
        }
        await libvirt.close()
    }

    /// The bytes of a volume, read by the test on this host, which is also the libvirt host of
    /// the loopback ssh backend (the gateway under test never sees these paths).
    static func contents(of path: String?) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: try #require(path)))
    }

    @Test(
        "qemu+ssh with host paths the gateway cannot see: the seed ISO and a disk image go through the backend",
        .enabled(if: ProcessInfo.processInfo.environment["VMGATE_SSH_URI"] != nil))
    func remoteBackend() async throws {
        let pool = ProcessInfo.processInfo.environment["VMGATE_QEMU_POOL"] ?? "vmgate"
        try await Self.withRemoteGateway { client, libvirt in
            let radl = """
                system node (memory.size >= 64m and disk.0.image.url = 'vmgate://ssh/tiny')
                configure node (
                @begin
                #cloud-config
                runcmd:
                  - echo first recipe
                @end
                )
                deploy node 1
                """
            let auth = "id = im; type = InfrastructureManager; username = remote; password = pw"
            let id = try await client.createInfrastructure(radl, auth: auth)
            try #require(!id.isEmpty)
            let image = "imremote-" + String(id.prefix(8))
            do {
                let machine = try #require(try await libvirt.machines().first { $0.metadata.group == "im-\(id)" })
                let cdrom = try #require(machine.disks.first { $0.device == "cdrom" })
                var iso = try Self.contents(of: cdrom.path)
                #expect(iso.count > 0x8006 && iso[0x8001..<0x8006] == Data("CD001".utf8), "seed is an ISO9660 image")
                #expect(iso.range(of: Data("echo first recipe".utf8)) != nil, "the seed holds the recipe")
                let contmsg = try await client.im(.get, "/infrastructures/\(id)/vms/0/contmsg", auth: auth).text
                #expect(contmsg.contains("NoCloud seed"), "\(contmsg)")
                #expect(!contmsg.contains("empty"), "\(contmsg)")

                let again = "configure node (\n@begin\n#cloud-config\nruncmd:\n  - echo second recipe\n@end\n)"
                let reconfigured = try await client.im(
                    .put, "/infrastructures/\(id)/reconfigure", body: again, auth: auth)
                #expect(reconfigured.status == .ok, "\(reconfigured.text)")
                iso = try Self.contents(of: cdrom.path)
                let after = try await client.im(.get, "/infrastructures/\(id)/vms/0/contmsg", auth: auth).text
                #expect(iso.range(of: Data("echo second recipe".utf8)) != nil, "the seed was rewritten: \(after)")

                let snapshot = try await client.im(
                    .put, "/infrastructures/\(id)/vms/0/disks/0/snapshot?image_name=\(image)&auto_delete=true",
                    auth: auth)
                #expect(snapshot.status == .ok, "\(snapshot.text)")
                #expect(snapshot.text.hasSuffix("/\(pool)/\(image)"), "a disk image, not a libvirt snapshot")
                let copy = try await libvirt.volume(named: image, inPool: pool)
                #expect(copy.format == "qcow2")
                #expect(copy.backingPath == nil, "the image is standalone (flattened)")
                let info = try await ChildProcess.run(
                    "/usr/bin/qemu-img", ["info", "-U", "-f", "qcow2", "--output=json", copy.path])
                #expect(info.status == 0 && !info.output.contains("backing-filename"), "\(info.output)")
            } catch {
                _ = try? await client.im(.delete, "/infrastructures/\(id)", auth: auth)
                throw error
            }
            #expect(try await client.im(.delete, "/infrastructures/\(id)", auth: auth).status == .ok)
            let left = try await libvirt.volumes(inPool: pool).map(\.name)
            #expect(!left.contains(image), "auto-delete image removed")
            #expect(!left.contains { $0.hasSuffix("-cidata.iso") && $0.contains(id.prefix(8)) })
        }
    }
}
