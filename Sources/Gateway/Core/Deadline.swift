import Spec
import Synchronization

/// Runs async work with a time limit that holds even when the work is stuck in a blocking
/// call that ignores cancellation: the caller gets `unavailable` on time, and the work's
/// late result is dropped.
public enum Deadline {
    /// Runs `work`, throwing `SpecError.unavailable` after `seconds`.
    public static func run<T: Sendable>(
        seconds: Double, _ what: @autoclosure () -> String, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let description = what()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let once = Once(continuation)
            let worker = Task {
                do { once.resume(with: .success(try await work())) } catch { once.resume(with: .failure(error)) }
            }
            Task {
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                if once.resume(with: .failure(SpecError.unavailable("\(description) timed out after \(seconds)s"))) {
                    worker.cancel()
                }
            }
        }
    }

    /// Resumes a continuation at most once.
    private final class Once<T: Sendable>: Sendable {
        private let continuation: Mutex<CheckedContinuation<T, any Error>?>
        init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = Mutex(continuation) }

        @discardableResult func resume(with result: Result<T, any Error>) -> Bool {
            guard
                let continuation = continuation.withLock({ c -> CheckedContinuation<T, any Error>? in
                    defer { c = nil }
                    return c
                })
            else { return false }
            continuation.resume(with: result)
            return true
        }
    }
}
