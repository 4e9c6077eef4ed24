internal import CLibvirt
import NIOPosix
import Spec
import Synchronization

/// A serial console opened with `virDomainOpenConsole` over a non-blocking `virStream`.
///
/// Every libvirt call is short (non-blocking) and runs on the backend's thread pool under a lock,
/// so reads and writes can come from different tasks; an idle reader sleeps between polls instead
/// of holding a pool thread. Works over remote connections: the stream travels in libvirt's RPC.
///
/// `@unchecked Sendable`: the stream pointer is only touched while holding `state`'s lock.
final class LibvirtConsole: ConsoleStream, @unchecked Sendable {
    private let stream: OpaquePointer
    private let connection: LibvirtConnection
    private let pool: NIOThreadPool
    private let machine: String
    /// Whether the stream was closed (finished or aborted).
    private let closed = Mutex(false)

    init(stream: OpaquePointer, connection: LibvirtConnection, pool: NIOThreadPool, machine: String) {
        self.stream = stream
        self.connection = connection
        self.pool = pool
        self.machine = machine
    }

    deinit {
        closed.withLock { closed in
            if !closed {
                _ = virStreamAbort(stream)
                virResetLastError()
            }
        }
        virStreamFree(stream)
    }

    /// Outcome of one non-blocking receive.
    private enum Received: Sendable {
        case bytes([UInt8])
        case wouldBlock
        case end
    }

    func read() async throws -> [UInt8]? {
        while true {
            switch try await receiveOnce() {
            case .bytes(let bytes): return bytes
            case .end: return nil
            case .wouldBlock: try await Task.sleep(for: .milliseconds(15))
            }
        }
    }

    func write(_ bytes: [UInt8]) async throws {
        var offset = 0
        while offset < bytes.count {
            let sent = try await sendOnce(Array(bytes[offset...]))
            if sent > 0 { offset += sent } else { try await Task.sleep(for: .milliseconds(15)) }
        }
    }

    func close() async {
        closed.withLock { closed in
            guard !closed else { return }
            closed = true
            if virStreamFinish(stream) < 0 {
                virResetLastError()
                _ = virStreamAbort(stream)
                virResetLastError()
            }
        }
    }

    private func receiveOnce() async throws -> Received {
        try await pool.runIfActive { [self] () throws -> Received in
            try closed.withLock { (closed: inout Bool) throws(SpecError) -> Received in
                guard !closed else { return .end }
                var buffer = [CChar](repeating: 0, count: 64 * 1024)
                let count = buffer.withUnsafeMutableBufferPointer { virStreamRecv(stream, $0.baseAddress, $0.count) }
                switch count {
                case -2: return .wouldBlock
                case 0:
                    closed = true
                    _ = virStreamFinish(stream)
                    virResetLastError()
                    return .end
                case ..<0:
                    throw LibvirtError.capture("read the console of", "machine '\(machine)'", connection: connection)
                default:
                    return .bytes(buffer[0..<Int(count)].map { UInt8(bitPattern: $0) })
                }
            }
        }
    }

    private func sendOnce(_ bytes: [UInt8]) async throws -> Int {
        try await pool.runIfActive { [self] () throws -> Int in
            try closed.withLock { (closed: inout Bool) throws(SpecError) -> Int in
                guard !closed else { throw SpecError.conflict("the console of machine '\(machine)' is closed") }
                let count = bytes.map { CChar(bitPattern: $0) }.withUnsafeBufferPointer {
                    virStreamSend(stream, $0.baseAddress, $0.count)
                }
                if count == -2 { return 0 }
                guard count >= 0 else {
                    throw LibvirtError.capture(
                        "write to the console of", "machine '\(machine)'", connection: connection)
                }
                return Int(count)
            }
        }
    }
}
