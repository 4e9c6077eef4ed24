public import NIOCore
import Synchronization

/// Encoded response bodies reused while the data behind them keeps the same version, so
/// hot list routes do not re-encode unchanged machine lists on every request.
public final class ResponseCache: Sendable {
    private struct Entry {
        var version: String
        var body: ByteBuffer
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    /// A cache holding up to `capacity` keys (all are dropped when it overflows).
    public init(capacity: Int = 64) { self.capacity = capacity }

    /// The body cached under `key` for `version`, or a new one from `make`. A nil version
    /// (the data cannot tell whether it changed) always builds anew.
    public func body(key: String, version: String?, make: () throws -> ByteBuffer) rethrows -> ByteBuffer {
        guard let version else { return try make() }
        if let hit = entries.withLock({ $0[key] }), hit.version == version { return hit.body }
        let body = try make()
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(version: version, body: body)
        }
        return body
    }
}
