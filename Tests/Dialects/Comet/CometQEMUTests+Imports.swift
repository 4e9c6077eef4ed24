import Foundation
import Gateway
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// Volume imports through the Comet API into real QEMU pools: sources vetted (400 before a
/// task starts), images inspected (the task fails), only a clean image becomes a volume.
extension CometQEMUTests {
    /// The Comet QEMU gateway with an `imports` section.
    static func importConfiguration(_ imports: GatewayConfiguration.ImportSettings) -> GatewayConfiguration {
        var config = CometTest.qemuConfiguration()
        config.imports = imports
        return config
    }

    /// Starts an import of `url` as volume `name` and returns the status and the finished task.
    static func importVolume(_ client: some TestClientProtocol, _ name: String, _ url: String) async throws
        -> (status: HTTPResponse.Status, task: [String: Any], body: String)
    {
        let (status, body, headers) = try await client.send(
            .post, "/comet/storagepools/\(pool)/storagevolumes", json: #"{"name":"\#(name)","url":"\#(url)"}"#)
        guard status == .accepted, let link = headers[.location] else { return (status, [:], String(buffer: body)) }
        return (status, try await client.waitForTask(link), String(buffer: body))
    }

    static func volumeExists(_ client: some TestClientProtocol, _ name: String) async throws -> Bool {
        try await client.send(.get, "/comet/storagepools/\(pool)/storagevolumes/\(name)").status == .ok
    }

    @Test("file:// imports: only regular files of the import directory, only clean images")
    func importFromFile() async throws {
        let images = try TestImages()
        defer { images.remove() }
        try images.raw("disk.raw", bytes: 2 << 20, fill: 0x3C)
        try await images.backed("backed.qcow2")
        try await images.externalData("external.qcow2")
        try FileManager.default.createSymbolicLink(atPath: images.path("shadow"), withDestinationPath: "/etc/shadow")
        let config = Self.importConfiguration(.init(directory: images.directory.path))
        try await TestGateway.run(config) { client, _ in
            let name = CometTest.unique("imported") + ".raw"
            let imported = try await Self.importVolume(client, name, "file://\(images.path("disk.raw"))")
            #expect(imported.task["status"] as? String == "finished", "\(imported)")
            let volume = try await client.json(.get, "/comet/storagepools/\(Self.pool)/storagevolumes/\(name)")
            #expect(volume["capacity"] as? Int == 2 << 20)
            #expect(volume["format"] as? String == "raw")
            let path = try #require(volume["path"] as? String)
            #expect(FileManager.default.contents(atPath: path) == Data(repeating: 0x3C, count: 2 << 20))
            _ = try await client.send(.delete, "/api/v1/storage/pools/\(Self.pool)/volumes/\(name)")

            let refused = CometTest.unique("refused") + ".img"
            for (url, reason) in [
                ("file:///etc/passwd", "outside the import directory"),
                ("file:///dev/zero", "outside the import directory"),
                ("file:///var/lib/vmgate/../../etc/hostname", "outside the import directory"),
                ("file://\(images.path("shadow"))", "outside the import directory"),
                ("file://\(images.directory.path)", "outside the import directory"),
            ] {
                let (status, _, body) = try await Self.importVolume(client, refused, url)
                #expect(status == .badRequest, "\(url): \(body)")
                #expect(body.contains(reason), "\(url): \(body)")
            }
            for (file, reason) in [("backed.qcow2", "backing file"), ("external.qcow2", "external data file")] {
                let (status, task, _) = try await Self.importVolume(client, refused, "file://\(images.path(file))")
                #expect(status == .accepted)
                #expect(task["status"] as? String == "failed", "\(file): \(task)")
                #expect((task["message"] as? String)?.contains(reason) == true, "\(file): \(task)")
            }
            #expect(try await !Self.volumeExists(client, refused), "no refused image becomes a volume")
        }
        try await TestGateway.run(CometTest.qemuConfiguration()) { client, _ in
            let (status, _, body) = try await Self.importVolume(client, "x.raw", "file://\(images.path("disk.raw"))")
            #expect(status == .badRequest, "without imports.directory every file:// import is refused")
            #expect(body.contains("imports.directory"), "\(body)")
        }
    }

    @Test("http(s) imports: loopback and metadata addresses refused, redirects re-checked, the cap enforced")
    func importFromHTTP() async throws {
        let images = try TestImages()
        defer { images.remove() }
        try await images.qcow2("clean.qcow2", size: "2M")
        try await images.backed("backed.qcow2")
        try await ImageServer.run(directory: images.directory) { port in
            let base = "http://127.0.0.1:\(port)"
            let name = CometTest.unique("fetched") + ".qcow2"
            try await TestGateway.run(CometTest.qemuConfiguration()) { client, _ in
                for url in [
                    "\(base)/files/clean.qcow2", "http://localhost:\(port)/files/clean.qcow2",
                    "http://169.254.169.254/latest/meta-data/", "http://[::ffff:127.0.0.1]:\(port)/files/clean.qcow2",
                    "http://10.0.0.1/image.qcow2",
                ] {
                    let (status, _, body) = try await Self.importVolume(client, name, url)
                    #expect(status == .badRequest, "\(url) is refused by default: \(body)")
                }
            }
            let allowLocal = GatewayConfiguration.ImportSettings(allowedNetworks: ["127.0.0.1/32"], maxBytes: 8 << 20)
            try await TestGateway.run(Self.importConfiguration(allowLocal)) { client, _ in
                let fetched = try await Self.importVolume(client, name, "\(base)/files/clean.qcow2")
                #expect(fetched.task["status"] as? String == "finished", "\(fetched)")
                #expect((fetched.task["message"] as? String)?.hasSuffix("qcow2)") == true, "\(fetched.task)")
                let volume = try await client.json(.get, "/comet/storagepools/\(Self.pool)/storagevolumes/\(name)")
                #expect(volume["format"] as? String == "qcow2")
                #expect(volume["capacity"] as? Int == 2 << 20)
                _ = try await client.send(.delete, "/api/v1/storage/pools/\(Self.pool)/volumes/\(name)")

                let refused = CometTest.unique("refused") + ".img"
                for (path, reason) in [
                    ("/redirect?to=http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
                    ("/redirect?to=http://127.0.0.2:\(port)/files/clean.qcow2", "127.0.0.2"),
                    ("/files/backed.qcow2", "backing file"),
                    ("/big?bytes=\(64 << 20)", "larger than \(8 << 20) bytes"),
                    ("/missing", "404"),
                ] {
                    let (status, task, _) = try await Self.importVolume(client, refused, base + path)
                    #expect(status == .accepted)
                    #expect(task["status"] as? String == "failed", "\(path): \(task)")
                    #expect((task["message"] as? String)?.contains(reason) == true, "\(path): \(task)")
                }
                #expect(try await !Self.volumeExists(client, refused), "no refused image becomes a volume")
            }
        }
    }
}
