import NIOPosix
import Spec
import Synchronization

/// A small libcurl HTTP client that never blocks the caller's executor: every
/// `curl_easy_perform` runs on a dedicated thread pool, with one reusable easy handle per
/// concurrent request (kept in a free list, so upstream connections are reused).
final class CurlClient: Sendable {
    private let pool: NIOThreadPool
    private let free = Mutex<[CurlHandle]>([])
    private let settings: CurlSettings

    /// Starts `threads` worker threads.
    init(threads: Int, settings: CurlSettings) {
        self.settings = settings
        self.pool = NIOThreadPool(numberOfThreads: max(1, threads))
        self.pool.start()
    }

    /// Performs `request` on a pool thread.
    func perform(_ request: CurlRequest) async throws -> CurlResponse {
        let settings = self.settings
        do {
            return try await pool.runIfActive {
                let handle = try self.free.withLock { $0.popLast() } ?? CurlHandle()
                defer { self.free.withLock { $0.append(handle) } }
                return try handle.perform(request, settings: settings)
            }
        } catch let error as SpecError {
            throw error
        } catch {
            throw SpecError.unavailable("proxy client is closed", cause: String(describing: error))
        }
    }

    /// Stops the worker threads and drops the handles.
    func shutdown() async {
        try? await pool.shutdownGracefully()
        free.withLock { $0.removeAll() }
    }
}
