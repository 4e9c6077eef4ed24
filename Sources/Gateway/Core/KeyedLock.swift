import Synchronization

/// Mutual exclusion by key across suspension points: one holder per key at a time, waiters
/// served in arrival order. Used to make a quota's check and the create it admits one step.
public final class KeyedLock: Sendable {
    private struct State {
        var held: Set<String> = []
        var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    }
    private let state = Mutex(State())

    /// Creates a lock table.
    public init() {}

    /// Runs `body` while holding every key of `keys` (taken in sorted order, so two callers
    /// never wait on each other in a cycle).
    public func withLocks<T: Sendable>(_ keys: Set<String>, _ body: () async throws -> T) async rethrows -> T {
        let ordered = keys.sorted()
        for key in ordered { await acquire(key) }
        defer { for key in ordered.reversed() { release(key) } }
        return try await body()
    }

    private func acquire(_ key: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                if state.held.insert(key).inserted { return true }
                state.waiters[key, default: []].append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    private func release(_ key: String) {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard var queue = state.waiters[key], !queue.isEmpty else {
                state.held.remove(key)
                state.waiters[key] = nil
                return nil
            }
            let first = queue.removeFirst()
            state.waiters[key] = queue.isEmpty ? nil : queue
            return first
        }
        next?.resume()
    }
}
