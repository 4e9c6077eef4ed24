import Foundation
import GatewayTestSupport
import Testing

@testable import VMPoolerDialect

#if canImport(Glibc)
    import Glibc
#endif

@Suite("vmpooler: the tcp readiness probe")
struct TCPProbeTests {
    /// A listening socket on 127.0.0.1 that never accepts: with a backlog of 0 the kernel queues
    /// one connection and drops the SYNs of every later one, so those connects time out.
    final class Listener {
        let fd: Int32
        let port: Int

        init(backlog: Int32) throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard fd >= 0, bound == 0, listen(fd, backlog) == 0 else {
                close(fd)
                throw POSIXError(.EADDRINUSE)
            }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            self.fd = fd
            self.port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(fd) }
    }

    @Test("a listening port is open")
    func open() async throws {
        let listener = try Listener(backlog: 16)
        #expect(await TCPProbe.isOpen(host: "127.0.0.1", port: listener.port, timeout: 2))
    }

    @Test("a port nothing listens on is closed, at once")
    func closed() async throws {
        let port = try LiveGateway.freePort()
        let started = ContinuousClock.now
        // A refused connection answers long before the timeout (bounds are loose: the suite runs
        // beside every other test on two cores).
        #expect(await !TCPProbe.isOpen(host: "127.0.0.1", port: port, timeout: 30))
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(await !TCPProbe.isOpen(host: "not-an-address", port: port, timeout: 1))
    }

    @Test("a port that does not answer times out after the timeout")
    func timeout() async throws {
        let listener = try Listener(backlog: 0)
        #expect(await TCPProbe.isOpen(host: "127.0.0.1", port: listener.port, timeout: 2), "fills the queue")
        let started = ContinuousClock.now
        #expect(await !TCPProbe.isOpen(host: "127.0.0.1", port: listener.port, timeout: 0.3))
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(10), "\(elapsed)")
    }

    @Test("probes waiting for their timeout hold no thread: many wait at once")
    func concurrent() async throws {
        let listener = try Listener(backlog: 0)
        let port = listener.port
        _ = await TCPProbe.isOpen(host: "127.0.0.1", port: port, timeout: 2)
        let started = ContinuousClock.now
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<24 {
                group.addTask { await TCPProbe.isOpen(host: "127.0.0.1", port: port, timeout: 1) }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 24 && results.allSatisfy { !$0 })
        withExtendedLifetime(listener) {}
        // A blocking connect on the cooperative pool would take 24 s / pool threads (12 s on two cores).
        #expect(ContinuousClock.now - started < .seconds(8))
    }
}
