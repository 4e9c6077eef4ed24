import Foundation
public import NIOCore
import NIOPosix
import Spec
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A gateway-local temporary file (mode 0600) that an incoming image is written to, so that no
/// image is ever held in memory: request bodies, downloads and `file://` imports land here in
/// chunks, are inspected here, and are streamed from here to the backend. Writes stop at
/// ``limit`` bytes. Blocking file calls run on NIO's blocking-I/O pool, never on the caller's
/// executor. Use ``with(directory:limit:_:)``, which removes the file in every path.
public final class ImageSpool: Sendable {
    /// Thrown when more than ``limit`` bytes are offered.
    public struct LimitExceeded: Error, CustomStringConvertible {
        /// The limit in bytes.
        public var limit: Int
        /// `the image is larger than … bytes`.
        public var description: String { "the image is larger than \(limit) bytes" }
    }

    /// The file.
    public let path: String
    /// Largest image accepted, in bytes.
    public let limit: Int
    private let state: Mutex<State>

    private struct State {
        var descriptor: Int32
        var written = 0
        var pending = ByteBuffer()
    }

    /// Bytes collected before a write, so that small network chunks cost one system call per MiB.
    static let batch = 1 << 20

    private init(path: String, descriptor: Int32, limit: Int) {
        self.path = path
        self.limit = limit
        self.state = Mutex(State(descriptor: descriptor))
    }

    /// Creates a spool file in `directory` (the system's temporary directory when nil), runs
    /// `body` with it and removes the file afterwards, whatever happened.
    public static func with<T: Sendable>(
        directory: String?, limit: Int, _ body: (ImageSpool) async throws -> T
    ) async throws -> T {
        let spool = try await create(in: directory ?? FileManager.default.temporaryDirectory.path, limit: limit)
        do {
            let result = try await body(spool)
            await spool.remove()
            return result
        } catch {
            await spool.remove()
            throw error
        }
    }

    private static func create(in directory: String, limit: Int) async throws -> ImageSpool {
        let path = (directory as NSString).appendingPathComponent("vmgate-image-\(UUID().uuidString).spool")
        let (descriptor, error) = try await blocking {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            return (descriptor, descriptor < 0 ? errno : 0)
        }
        guard descriptor >= 0 else {
            throw SpecError.unavailable("the gateway cannot create a spool file in '\(directory)' (error \(error))")
        }
        return ImageSpool(path: path, descriptor: descriptor, limit: limit)
    }

    /// Bytes accepted so far.
    public var byteCount: Int { state.withLock { $0.written + $0.pending.readableBytes } }

    /// Appends `buffer`; throws ``LimitExceeded`` (writing nothing of it) when it would pass the limit.
    public func append(_ buffer: ByteBuffer) async throws {
        let batch: ByteBuffer? = try state.withLock { state in
            guard state.written + state.pending.readableBytes + buffer.readableBytes <= limit else {
                throw LimitExceeded(limit: limit)
            }
            var incoming = buffer
            state.pending.writeBuffer(&incoming)
            guard state.pending.readableBytes >= Self.batch else { return nil }
            defer { state.pending = ByteBuffer() }
            return state.pending
        }
        if let batch { try await write(batch) }
    }

    /// Writes what is still pending and closes the file; returns the byte count.
    @discardableResult
    public func finish() async throws -> Int {
        let rest = state.withLock { state in
            defer { state.pending = ByteBuffer() }
            return state.pending
        }
        if rest.readableBytes > 0 { try await write(rest) }
        let descriptor = state.withLock { state in
            defer { state.descriptor = -1 }
            return state.descriptor
        }
        if descriptor >= 0 { _ = try await Self.blocking { close(descriptor) } }
        return state.withLock { $0.written }
    }

    /// Removes the file (closing it first when still open).
    func remove() async {
        let descriptor = state.withLock { state in
            defer { state.descriptor = -1 }
            return state.descriptor
        }
        let path = self.path
        _ = try? await Self.blocking {
            if descriptor >= 0 { close(descriptor) }
            return unlink(path)
        }
    }

    private func write(_ buffer: ByteBuffer) async throws {
        let descriptor = state.withLock { $0.descriptor }
        let count = buffer.readableBytes
        let failure: Int32 = try await Self.blocking {
            buffer.withUnsafeReadableBytes { bytes -> Int32 in
                var offset = 0
                while offset < bytes.count {
                    let result = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if result < 0, errno == EINTR { continue }
                    guard result > 0 else { return errno }
                    offset += result
                }
                return 0
            }
        }
        guard failure == 0 else {
            throw SpecError.unavailable("the gateway cannot write its spool file (error \(failure))")
        }
        state.withLock { $0.written += count }
    }

    /// Runs a blocking file call on NIO's blocking-I/O pool.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
