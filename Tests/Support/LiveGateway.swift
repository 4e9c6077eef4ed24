import Foundation
public import Gateway
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A second vmgate running for real on a loopback port, for proxy backends to point at.
public final class LiveGateway: Sendable {
    public let gateway: Gateway
    public let port: Int
    private let server: Task<Void, any Error>

    /// The native API base URL.
    public var url: String { "http://127.0.0.1:\(port)/api/v1" }

    private init(gateway: Gateway, port: Int, server: Task<Void, any Error>) {
        self.gateway = gateway
        self.port = port
        self.server = server
    }

    /// Builds `configuration` and serves it on `port` (a free one when nil) until ``stop()``.
    public static func start(_ configuration: GatewayConfiguration, port: Int? = nil) async throws -> LiveGateway {
        var config = configuration
        // A gateway for proxy backends to point at serves the backend-level routes.
        for index in config.dialects.indices where config.dialects[index].name == "native" {
            config.dialects[index].options = (config.dialects[index].options ?? [:]).merging(["backendRoutes": "true"])
            {
                current, _ in current
            }
        }
        let port = try port ?? freePort()
        config.listen = .init(host: "127.0.0.1", port: port)
        var logger = Logger(label: "upstream")
        logger.logLevel = .critical
        let gateway = try await Gateway.build(configuration: config, logger: logger)
        let server = Task { try await gateway.application.runService(gracefulShutdownSignals: []) }
        let deadline = Date().addingTimeInterval(15)
        while !isListening(port) {
            guard Date() < deadline else {
                server.cancel()
                await gateway.close()
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return LiveGateway(gateway: gateway, port: port, server: server)
    }

    /// Stops serving and closes the gateway's backends; the port refuses connections afterwards.
    public func stop() async {
        server.cancel()
        _ = try? await server.value
        await gateway.close()
    }

    /// A port nothing listens on right now.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    /// A TCP connection to 127.0.0.1:`port` whose reads give up after `timeout` seconds.
    public static func connect(port: Int, timeout: Int = 5) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

extension LiveGateway {
    /// Runs `body` with a live gateway and always stops it.
    public static func with(
        _ configuration: GatewayConfiguration, _ body: (LiveGateway) async throws -> Void
    ) async throws {
        let live = try await start(configuration)
        do { try await body(live) } catch {
            await live.stop()
            throw error
        }
        await live.stop()
    }
}
