import Foundation
import Gateway
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import Logging
import NIOCore
import Synchronization
import Testing

@Suite("Comet consoles")
struct CometConsoleTests {
    @Test("the console of a shut-off or unknown VM is refused; the test driver offers no serial console")
    func refusals() async throws {
        try await TestGateway.run(CometTest.configuration()) { client, _ in
            _ = try await client.json(
                .post, "/comet/cluster", json: #"{"name":"con","template":"demo"}"#, expect: .created)
            _ = try await client.json(.post, "/comet/cluster/con/vms", json: #"{"name":"c1"}"#, expect: .created)
            try await client.expectError(.get, "/comet/cluster/con/vms/c1/console", .conflict)
            try await client.expectError(.get, "/comet/cluster/con/vms/nope/console", .notFound)
            _ = try await client.json(.post, "/comet/cluster/con/vms/c1/start")
            try await client.expectError(.get, "/comet/cluster/con/vms/c1/console?type=serial", .notImplemented)
            try await client.expectError(.get, "/comet/cluster/con/vms/c1/console?type=telnet", .badRequest)
        }
    }

    static let probe = "ping-vmgate-42"

    /// A 1 MiB raw disk whose boot sector prints a banner on COM1 (0x3F8) and then echoes every
    /// received byte (polling the line status register). Assembled from 16-bit code:
    /// banner loop with `lodsb`/`out`, then `in 0x3FD` until data ready, `in 0x3F8`, `out 0x3F8`.
    static func echoBootImage() -> [UInt8] {
        let code: [UInt8] =
            [
                0xfa, 0x31, 0xc0, 0x8e, 0xd8, 0x8e, 0xd0, 0xbc, 0x00, 0x7c, 0xbe, 0x37, 0x7c, 0xac, 0x84, 0xc0, 0x74,
                0x05,
                0xe8, 0x13, 0x00, 0xeb, 0xf6, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x01, 0x74, 0xfb, 0xba, 0xf8, 0x03, 0xec,
                0xe8,
                0x02, 0x00, 0xeb, 0xef, 0x50, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x20, 0x74, 0xfb, 0x58, 0xba, 0xf8, 0x03,
                0xee,
                0xc3,
            ] + Array("vmgate-echo-ready\r\n".utf8) + [0]
        var image = [UInt8](repeating: 0, count: 1 << 20)
        image.replaceSubrange(0..<code.count, with: code)
        image[510] = 0x55
        image[511] = 0xAA
        return image
    }

    @Test(
        "the console redirects to a WebSocket bridge of a real QEMU serial console, which relays bytes",
        .enabled(if: CometTest.qemuEnabled))
    func serialBridge() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        // The boot image is imported with a file:// url, so the gateway gets an import directory.
        let images = try TestImages()
        defer { images.remove() }
        var config = CometTest.qemuConfiguration()
        config.imports = .init(directory: images.directory.path)
        // swift-websocket's client sends `Origin: ws://localhost` (no port) with `Host: localhost:<port>`.
        config.allowedOrigins = ["ws://localhost"]
        let gateway = try await Gateway.build(configuration: config, logger: logger)
        let cluster = CometTest.unique("cc")
        let vm = CometTest.unique("vm")
        do {
            try await gateway.application.test(.live) { client in
                // A boot sector that prints a banner on COM1 and echoes every byte it receives.
                let pool = ProcessInfo.processInfo.environment["VMGATE_QEMU_POOL"] ?? "vmgate"
                let image = vm + "-echo.raw"
                let file = images.directory.appendingPathComponent(image)
                try Data(Self.echoBootImage()).write(to: file)
                let (importStatus, _, importHeaders) = try await client.send(
                    .post, "/comet/storagepools/\(pool)/storagevolumes",
                    json: #"{"name":"\#(image)","url":"\#(file.absoluteString)"}"#)
                #expect(importStatus == .accepted)
                let imported = try await client.waitForTask(try #require(importHeaders[.location]))
                #expect(imported["status"] as? String == "finished", "\(imported)")
                _ = try await client.json(
                    .post, "/api/v1/templates",
                    json:
                        #"{"name":"\#(image)","memoryMiB":64,"disks":[{"index":0,"pool":"\#(pool)","volume":"\#(image)"}]}"#,
                    expect: .created)
                _ = try await client.json(
                    .post, "/comet/cluster", json: #"{"name":"\#(cluster)","template":"\#(image)","backend":"qemu"}"#,
                    expect: .created)
                do {
                    _ = try await client.json(
                        .post, "/comet/cluster/\(cluster)/vms", json: #"{"name":"\#(vm)"}"#, expect: .created)
                    _ = try await client.json(.post, "/comet/cluster/\(cluster)/vms/\(vm)/start")
                    let (status, body, headers) = try await client.send(
                        .get, "/comet/cluster/\(cluster)/vms/\(vm)/console")
                    #expect(status == .temporaryRedirect, "\(String(buffer: body))")
                    let location = try #require(headers[.location])
                    #expect(location.hasPrefix("ws://"))
                    #expect(location.hasSuffix("/comet/cluster/\(cluster)/vms/\(vm)/console/serial"))
                    let links = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
                    #expect(links["serial"] as? String == location)
                    let vnc = links["vnc"] as? String ?? ""
                    #expect(vnc.hasPrefix("vnc://localhost:") || vnc.hasPrefix("vnc://127.0.0.1:"), "\(links)")

                    let received = ByteBox()
                    let opened = Atomic<Bool>(false)
                    let path = "/comet/cluster/\(cluster)/vms/\(vm)/console/serial"
                    try await client.ws(path) { inbound, outbound, _ in
                        opened.store(true, ordering: .relaxed)
                        // Keystrokes go through the bridge to the guest's UART; the guest echoes them back.
                        let writer = Task {
                            for _ in 0..<40 {
                                try await outbound.write(.text(Self.probe))
                                try await Task.sleep(for: .milliseconds(500))
                                if String(decoding: received.bytes.withLock { $0 }, as: UTF8.self).contains(Self.probe)
                                {
                                    break
                                }
                            }
                            try await outbound.close(.normalClosure, reason: nil)
                        }
                        for try await message in inbound.messages(maxSize: 1 << 16) {
                            if case .binary(let buffer) = message {
                                received.bytes.withLock { $0 += Array(buffer: buffer) }
                            }
                        }
                        try await writer.value
                    }
                    let didOpen = opened.load(ordering: .relaxed)
                    #expect(didOpen, "the WebSocket upgrade happened")
                    let output = String(decoding: received.bytes.withLock { $0 }, as: UTF8.self)
                    #expect(output.contains(Self.probe), "echoed console output: \(output.debugDescription)")
                    // A second client can open the console after the first left (the stream was released).
                    try await client.ws(path) { _, outbound, _ in
                        try await outbound.write(.binary(ByteBuffer(string: "x")))
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                } catch {
                    _ = try? await client.send(.delete, "/comet/cluster/\(cluster)?force=true")
                    _ = try? await client.send(.delete, "/api/v1/templates/\(image)")
                    _ = try? await client.send(.delete, "/api/v1/storage/pools/\(pool)/volumes/\(image)")
                    throw error
                }
                #expect(try await client.send(.delete, "/comet/cluster/\(cluster)?force=true").status == .noContent)
                _ = try await client.send(.delete, "/api/v1/templates/\(image)")
                #expect(
                    try await client.send(.delete, "/api/v1/storage/pools/\(pool)/volumes/\(image)").status
                        == .noContent)
            }
        } catch {
            await gateway.close()
            throw error
        }
        await gateway.close()
    }
}

/// Bytes collected from a WebSocket, shared between the reading and writing tasks.
final class ByteBox: Sendable {
    let bytes = Mutex<[UInt8]>([])
}
