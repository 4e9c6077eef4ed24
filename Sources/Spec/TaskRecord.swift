public import Foundation

/// Asynchronous work the gateway performs on a client's behalf.
public struct TaskRecord: Sendable, Codable, Hashable, Identifiable {
    /// Progress of a task.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Still going.
        case running
        /// Done successfully.
        case finished
        /// Done with an error.
        case failed
    }

    /// Task id (decimal, increasing).
    public var id: String
    /// What it does (`machine.create`, `volume.wipe`).
    public var kind: String
    /// The resource it works on (a path or id).
    public var target: String
    /// Current status.
    public var status: Status
    /// 0–100.
    public var progress: Int
    /// Human-readable message.
    public var message: String
    /// When it was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// The user who started the task (nil: the gateway itself, or `auth: none`).
    public var owner: String?

    /// Creates a task record.
    public init(
        id: String, kind: String, target: String, status: Status = .running, progress: Int = 0,
        message: String = "", createdAt: Date = Date(), updatedAt: Date = Date(), owner: String? = nil
    ) {
        self.owner = owner
        self.id = id
        self.kind = kind
        self.target = target
        self.status = status
        self.progress = progress
        self.message = message
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
