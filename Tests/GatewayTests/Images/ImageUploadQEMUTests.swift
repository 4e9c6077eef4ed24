import Foundation
import GatewayCore
import GatewayTestSupport
import Spec
import Testing

@testable import Gateway

/// `POST /api/v1/backends/:name/pools/:pool/uploads` on real QEMU, driven by the curl command
/// line against a live gateway so the request body really streams: bodies go through a spool
/// file to `virStreamSend` (and through a proxy backend to its upstream), memory stays bounded,
/// a body past the cap is a 413, an image naming host files is a 400.
@Suite("Image uploads on real QEMU", .enabled(if: TestGateway.qemuEnabled), .serialized)
struct ImageUploadQEMUTests {
    static var pool: String { ProcessInfo.processInfo.environment["VMGATE_QEMU_POOL"] ?? "vmgate" }

    static func configuration(maxBytes: Int) -> GatewayConfiguration {
        var config = TestGateway.qemuConfiguration()
        config.dialects = try! ConfigurationLoader.parse("dialects: [{name: native}]").dialects
        config.imports = .init(maxBytes: maxBytes)
        return config
    }

    /// `curl` uploads `file` to `url`; returns the HTTP status and the body.
    static func upload(_ file: String, to url: String, chunked: Bool = false) async throws -> (Int, String) {
        var arguments = ["-sS", "-o", "-", "-w", "\n%{http_code}", "-X", "POST", "--data-binary", "@\(file)"]
        arguments += ["-H", "Content-Type: application/octet-stream"]
        if chunked { arguments += ["-H", "Transfer-Encoding: chunked"] }
        let outcome = try await ChildProcess.run("/usr/bin/curl", arguments + [url], timeout: .seconds(120))
        let lines = outcome.output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    static func sparse(_ images: TestImages, _ name: String, bytes: Int) throws -> String {
        let path = images.path(name)
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(bytes))
        try handle.close()
        return path
    }

    @Test("a large image streams to the volume; memory grows far less than the image")
    func streamsLargeImage() async throws {
        let images = try TestImages()
        defer { images.remove() }
        let file = try Self.sparse(images, "large.raw", bytes: 384 << 20)
        let name = "upload-" + UUID().uuidString.prefix(8).lowercased() + ".raw"
        let live = try await LiveGateway.start(Self.configuration(maxBytes: 1 << 30))
        let url = "\(live.url)/backends/qemu/pools/\(Self.pool)/uploads?name=\(name)&format=raw"
        let ((status, body), growth) = await ResidentMemory.peakGrowth {
            (try? await Self.upload(file, to: url)) ?? (0, "curl failed")
        }
        #expect(status == 201, "\(body)")
        #expect(growth < 128 << 20, "resident memory grew by \(growth >> 20) MiB for a 384 MiB upload")
        let volume = try await live.gateway.fleet.volume(name, inPool: Self.pool, backend: "qemu")
        #expect(volume.capacityBytes == 384 << 20)
        #expect(volume.format == "raw")
        try? await live.gateway.fleet.onPool(Self.pool, backend: "qemu", "deleteVolume") {
            try await $0.deleteVolume(named: name, inPool: Self.pool)
        }
        await live.stop()
    }

    @Test("a body past the cap is a 413, announced or found while streaming, and is not buffered")
    func cap() async throws {
        let images = try TestImages()
        defer { images.remove() }
        let file = try Self.sparse(images, "huge.raw", bytes: 512 << 20)
        let live = try await LiveGateway.start(Self.configuration(maxBytes: 32 << 20))
        let url = "\(live.url)/backends/qemu/pools/\(Self.pool)/uploads?name=toolarge.raw&format=raw"
        for chunked in [false, true] {
            let ((status, body), growth) = await ResidentMemory.peakGrowth {
                (try? await Self.upload(file, to: url, chunked: chunked)) ?? (0, "curl failed")
            }
            #expect(status == 413, "chunked \(chunked): \(body)")
            #expect(body.contains("must not be larger than"), "\(body)")
            #expect(growth < 128 << 20, "resident memory grew by \(growth >> 20) MiB for a 512 MiB body")
        }
        let volumes = try await live.gateway.fleet.volumes(inPool: Self.pool, backend: "qemu")
        #expect(!volumes.contains { $0.name == "toolarge.raw" })
        await live.stop()
    }

    @Test("images naming host files, and declared formats that do not match, are refused with 400")
    func refusals() async throws {
        let images = try TestImages()
        defer { images.remove() }
        let backed = try await images.backed("backed.qcow2")
        let external = try await images.externalData("external.qcow2")
        let clean = try await images.qcow2("clean.qcow2")
        let live = try await LiveGateway.start(Self.configuration(maxBytes: 64 << 20))
        let name = "refused-" + UUID().uuidString.prefix(8).lowercased()
        let base = "\(live.url)/backends/qemu/pools/\(Self.pool)/uploads?name=\(name)"
        for (file, format, reason) in [
            (backed, "qcow2", "backing file"), (external, "qcow2", "external data file"),
            (clean, "raw", "declared 'raw'"), (clean, "vmdk", "'raw' or 'qcow2'"),
        ] {
            let (status, body) = try await Self.upload(file, to: "\(base)&format=\(format)")
            #expect(status == 400, "\(file) as \(format): \(body)")
            #expect(body.contains(reason), "\(file) as \(format): \(body)")
        }
        let volumes = try await live.gateway.fleet.volumes(inPool: Self.pool, backend: "qemu")
        #expect(!volumes.contains { $0.name == name })
        await live.stop()
    }

    @Test("through a proxy backend the image streams on to the upstream gateway")
    func proxy() async throws {
        let images = try TestImages()
        defer { images.remove() }
        let file = try images.raw("pattern.raw", bytes: 3 << 20, fill: 0x77)
        let upstream = try await LiveGateway.start(Self.configuration(maxBytes: 64 << 20))
        var config = Self.configuration(maxBytes: 64 << 20)
        config.backends += try ConfigurationLoader.parse(
            "backends: [{name: remote, type: proxy, url: \"\(upstream.url)\", upstreamBackend: qemu}]"
        ).backends
        let live = try await LiveGateway.start(config)
        let name = "proxied-" + UUID().uuidString.prefix(8).lowercased() + ".raw"
        let (status, body) = try await Self.upload(
            file, to: "\(live.url)/backends/remote/pools/\(Self.pool)/uploads?name=\(name)&format=raw")
        #expect(status == 201, "\(body)")
        #expect(body.contains("remote"), "\(body)")
        let volume = try await upstream.gateway.fleet.volume(name, inPool: Self.pool, backend: "qemu")
        #expect(FileManager.default.contents(atPath: volume.path) == Data(repeating: 0x77, count: 3 << 20))
        try? await upstream.gateway.fleet.onPool(Self.pool, backend: "qemu", "deleteVolume") {
            try await $0.deleteVolume(named: name, inPool: Self.pool)
        }
        await live.stop()
        await upstream.stop()
    }
}
