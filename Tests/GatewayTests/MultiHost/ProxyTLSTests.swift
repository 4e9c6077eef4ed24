import Foundation
import GatewayCore
import GatewayTestSupport
import Logging
import Proxy
import Spec
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// TLS options of the proxy backend against `openssl s_server -WWW` (serves files as HTTP/1.0):
/// a self-signed server certificate for 127.0.0.1 and, for mutual TLS, a client certificate.
@Suite("Multi-host: proxy TLS", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
struct ProxyTLSTests {
    /// Runs `body` with an HTTPS server on a free port whose `/api/v1/backends/b/machines` answers `[]`.
    static func withServer(mutual: Bool, _ body: (Int, URL) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vmgate-tls-\(UUID())")
        let files = dir.appendingPathComponent("www/api/v1/backends/b")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        try Data("[]".utf8).write(to: files.appendingPathComponent("machines"))
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, subject) in [("server", "/CN=127.0.0.1"), ("client", "/CN=vmgate-proxy")] {
            try await run(
                "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", subject,
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.appendingPathComponent("\(name).key").path,
                "-out", dir.appendingPathComponent("\(name).pem").path)
        }
        let port = try LiveGateway.freePort()
        var arguments = [
            "s_server", "-quiet", "-WWW", "-accept", "127.0.0.1:\(port)", "-cert",
            dir.appendingPathComponent("server.pem").path,
            "-key", dir.appendingPathComponent("server.key").path,
        ]
        if mutual { arguments += ["-Verify", "1", "-CAfile", dir.appendingPathComponent("client.pem").path] }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = arguments
        server.currentDirectoryURL = dir.appendingPathComponent("www")
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            // s_server ignores SIGTERM; Foundation reaps it once it is gone.
            kill(server.processIdentifier, SIGKILL)
        }
        while !LiveGateway.isListening(port) { try await Task.sleep(for: .milliseconds(20)) }
        try await body(port, dir)
    }

    static func run(_ path: String, _ arguments: String...) async throws {
        guard try await ChildProcess.run(path, arguments).status == 0 else { throw POSIXError(.EIO) }
    }

    static func machines(_ configuration: ProxyConfiguration) async -> Result<[Machine], SpecError> {
        let proxy = ProxyBackend(name: "p", configuration: configuration, logger: Logger(label: "tls"))
        defer { Task { await proxy.close() } }
        do { return .success(try await proxy.machines()) } catch { return .failure(SpecError.wrap(error)) }
    }

    @Test("the server is verified against caFile; unknown CAs fail unless insecure")
    func serverVerification() async throws {
        try await Self.withServer(mutual: false) { port, dir in
            let url = "https://127.0.0.1:\(port)/api/v1"
            let trusted = await Self.machines(
                ProxyConfiguration(
                    url: url, upstreamBackend: "b", caFile: dir.appendingPathComponent("server.pem").path))
            #expect((try? trusted.get())?.isEmpty == true, "\(trusted)")
            let untrusted = await Self.machines(ProxyConfiguration(url: url, upstreamBackend: "b"))
            #expect((try? untrusted.get()) == nil)
            if case .failure(let error) = untrusted { #expect(error.kind == .unavailable) }
            let lab = await Self.machines(ProxyConfiguration(url: url, upstreamBackend: "b", insecure: true))
            #expect((try? lab.get())?.isEmpty == true, "\(lab)")
        }
    }

    @Test("mutual TLS: the client certificate and key are presented")
    func clientCertificate() async throws {
        try await Self.withServer(mutual: true) { port, dir in
            let url = "https://127.0.0.1:\(port)/api/v1"
            let ca = dir.appendingPathComponent("server.pem").path
            let with = await Self.machines(
                ProxyConfiguration(
                    url: url, upstreamBackend: "b", caFile: ca,
                    clientCertificate: dir.appendingPathComponent("client.pem").path,
                    clientKey: dir.appendingPathComponent("client.key").path))
            #expect((try? with.get())?.isEmpty == true, "\(with)")
            let without = await Self.machines(ProxyConfiguration(url: url, upstreamBackend: "b", caFile: ca))
            #expect((try? without.get()) == nil, "a server that demands a client certificate refuses us without one")
        }
    }
}
