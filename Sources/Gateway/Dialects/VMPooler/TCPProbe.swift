import NIOCore
import NIOPosix

/// Checks whether a TCP port accepts connections (the `tcp:<port>` readiness check), with a
/// non-blocking connect on NIO's event loops: a probe waiting for its timeout holds no thread.
enum TCPProbe {
    /// True when `host:port` (an IPv4 or IPv6 literal) accepts a connection within `timeout` seconds.
    static func isOpen(
        host: String, port: Int, timeout: Double,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async -> Bool {
        guard let address = try? SocketAddress(ipAddress: host, port: port) else { return false }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(max(timeout, 0) * 1000)))
        do {
            let channel = try await bootstrap.connect(to: address).get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }
}
