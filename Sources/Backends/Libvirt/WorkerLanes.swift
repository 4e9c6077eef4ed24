import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// The threads that run a backend's blocking libvirt calls, in two lanes.
///
/// Calls made from tasks below `.medium` priority (pool refills, write-behind metadata, event
/// refreshes, the periodic resync) run on threads with a raised nice value, so on a busy host
/// the kernel gives request handling the CPU first instead of sharing it evenly with
/// maintenance. Everything else runs on the interactive lane at normal priority. Both lanes
/// have `threads` threads, so a few slow calls in one lane (a QEMU shutdown that waits for the
/// guest) never hold up the other.
final class WorkerLanes: Sendable {
    /// Nice value of background-lane threads (0 is normal, 19 the lowest priority).
    static let backgroundNice: Int32 = 10

    let interactive: NIOThreadPool
    let background: NIOThreadPool

    init(threads: Int) {
        interactive = NIOThreadPool(numberOfThreads: max(1, threads))
        background = NIOThreadPool(numberOfThreads: max(1, threads))
        interactive.start()
        background.start()
    }

    /// Whether the current task's work belongs on the background lane.
    static var currentIsBackground: Bool { Task.currentPriority < .medium }

    /// Runs `body` on the lane the current task's priority selects.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        guard Self.currentIsBackground else { return try await interactive.runIfActive(body) }
        return try await background.runIfActive {
            Self.lowerCurrentThread()
            return try body()
        }
    }

    /// Stops both lanes after their queued work.
    func shutdownGracefully() async throws {
        try await interactive.shutdownGracefully()
        try await background.shutdownGracefully()
    }

    /// Raises the calling thread's nice value (idempotent). On Linux `setpriority` with
    /// `PRIO_PROCESS` and id 0 applies to the calling thread only.
    private static func lowerCurrentThread() {
        #if os(Linux)
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
            if getpriority(which, 0) < backgroundNice { _ = setpriority(which, 0, backgroundNice) }
        #endif
    }
}
