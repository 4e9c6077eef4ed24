import Foundation
import Gateway
import GatewayTestSupport
import Testing

extension IMQEMUTests {
    @Test("through a proxy backend: the seed ISO is uploaded to the upstream and the disk image copied there")
    func proxyBackend() async throws {
        let pool = ProcessInfo.processInfo.environment["VMGATE_QEMU_POOL"] ?? "vmgate"
        var upstreamConfig = TestGateway.qemuConfiguration()
        upstreamConfig.dialects = try ConfigurationLoader.parse("dialects: [{name: native}]").dialects
        let upstream = try await LiveGateway.start(upstreamConfig)
        var config = Self.configuration()
        config.backends = try ConfigurationLoader.parse(
            """
            backends:
              - {name: remote, type: proxy, url: "\(upstream.url)", upstreamBackend: qemu, defaultPool: \(pool),
                 timeoutSeconds: 60}
            """
        ).backends
        config.groups[0].backends = ["remote"]
        do {
            try await TestGateway.run(config) { client, gateway in
                let radl = """
                    system node (memory.size >= 64m and disk.0.image.url = 'vmgate://remote/tiny')
                    configure node (
                    @begin
                    #cloud-config
                    runcmd:
                      - echo through the proxy
                    @end
                    )
                    deploy node 1
                    """
                let auth = "id = im; type = InfrastructureManager; username = proxy; password = pw"
                let id = try await client.createInfrastructure(radl, auth: auth)
                try #require(!id.isEmpty)
                let image = "improxy-" + String(id.prefix(8))
                do {
                    let machine = try #require(await gateway.fleet.machines(group: "im-\(id)").machines.first)
                    #expect(machine.backend == "remote")
                    let cdrom = try #require(machine.disks.first { $0.device == "cdrom" })
                    let iso = try Self.contents(of: cdrom.path)
                    #expect(iso.range(of: Data("echo through the proxy".utf8)) != nil, "the seed holds the recipe")
                    let contmsg = try await client.im(.get, "/infrastructures/\(id)/vms/0/contmsg", auth: auth).text
                    #expect(contmsg.contains("NoCloud seed") && !contmsg.contains("failed"), "\(contmsg)")
                    let snapshot = try await client.im(
                        .put, "/infrastructures/\(id)/vms/0/disks/0/snapshot?image_name=\(image)&auto_delete=true",
                        auth: auth)
                    #expect(snapshot.text.hasSuffix("/\(pool)/\(image)"), "\(snapshot.text)")
                } catch {
                    _ = try? await client.im(.delete, "/infrastructures/\(id)", auth: auth)
                    throw error
                }
                #expect(try await client.im(.delete, "/infrastructures/\(id)", auth: auth).status == .ok)
                let left = try await upstream.gateway.fleet.volumes(inPool: pool).map(\.name)
                #expect(!left.contains(image), "auto-delete image removed upstream")
            }
        } catch {
            await upstream.stop()
            throw error
        }
        await upstream.stop()
    }
}
