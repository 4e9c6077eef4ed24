import Synchronization

/// Runs async work one at a time per key (a machine name), in call order.
///
/// The cache orders writes by tickets taken before libvirt is read; that is only sound when
/// reads and mutations of one machine do not overlap, which this serializer guarantees: an
/// event-driven refresh can no longer read "running" while a suspend of the same machine is
/// still in flight and land after it.
final class KeyedSerializer: Sendable {
    private let tails = Mutex<[String: Task<Void, Never>]>([:])

    /// Runs `body` after every earlier `run` with the same key has finished.
    func run<T: Sendable>(_ key: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task: Task<T, any Error> = tails.withLock { tails in
            let previous = tails[key]
            let task = Task<T, any Error> {
                await previous?.value
                return try await body()
            }
            let tail = Task<Void, Never> { _ = try? await task.value }
            tails[key] = tail
            Task { [weak self] in
                await tail.value
                self?.tails.withLock { tails in
                    if tails[key] == tail { tails[key] = nil }
                }
            }
            return task
        }
        return try await task.value
    }
}
