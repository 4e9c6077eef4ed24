import Foundation
public import Logging
public import Spec

/// Runs long operations in the background and records their progress as ``TaskRecord``s
/// in the store, so clients can poll them (Kimchi `/tasks`, Comet volume imports).
public final class TaskRunner: Sendable {
    private let store: any GatewayStore
    private let logger: Logger

    /// Creates a runner over `store`.
    public init(store: any GatewayStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Lets running work report progress.
    public struct Progress: Sendable {
        let record: @Sendable (Int, String) async -> Void
        /// Sets progress (0–100) and a message.
        public func update(_ percent: Int, _ message: String) async { await record(percent, message) }
    }

    /// Marks tasks still `running` from an earlier process as failed.
    public func recoverInterrupted() async throws {
        for var task in try await store.tasks(limit: 10_000) where task.status == .running {
            task.status = .failed
            task.message = "interrupted: the gateway restarted before the task finished"
            task.updatedAt = Date()
            try await store.saveTask(task)
        }
    }

    /// Records a new running task and starts `work`; its returned string becomes the
    /// finished message, a thrown error the failed message.
    public func start(
        kind: String, target: String, message: String = "running",
        _ work: @escaping @Sendable (Progress) async throws -> String
    ) async throws -> TaskRecord {
        let task = TaskRecord(
            id: try await store.nextTaskID(), kind: kind, target: target, message: message,
            owner: AccessControl.principal?.user)
        try await store.saveTask(task)
        let store = self.store
        let logger = self.logger
        Task {
            let progress = Progress { percent, message in
                await Self.save(store, logger, id: task.id) {
                    $0.progress = max(0, min(100, percent))
                    $0.message = message
                }
            }
            let outcome: (TaskRecord.Status, String)
            do { outcome = (.finished, try await work(progress)) } catch {
                // The record is what clients read: the message only; the cause goes to the log.
                let spec = SpecError.wrap(error)
                logger.failure(
                    spec, "task failed",
                    metadata: [
                        "vmgate.task": "\(task.id)", "vmgate.task.kind": "\(kind)", "vmgate.task.target": "\(target)",
                    ])
                outcome = (.failed, spec.message)
            }
            await Self.save(store, logger, id: task.id) {
                $0.status = outcome.0
                $0.message = outcome.1
                if outcome.0 == .finished { $0.progress = 100 }
            }
        }
        return task
    }

    /// Waits until a task is no longer running (for tests and synchronous callers).
    public func wait(for id: String, timeout: Duration = .seconds(60)) async throws -> TaskRecord {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let task = try await store.task(id: id), task.status != .running { return task }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw SpecError.unavailable("task \(id) did not finish in time")
    }

    private static func save(
        _ store: any GatewayStore, _ logger: Logger, id: String, _ change: @Sendable (inout TaskRecord) -> Void
    ) async {
        do {
            guard var task = try await store.task(id: id) else { return }
            change(&task)
            task.updatedAt = Date()
            try await store.saveTask(task)
        } catch {
            logger.error("could not record task progress", metadata: ["vmgate.task": "\(id)", "error": "\(error)"])
        }
    }
}
