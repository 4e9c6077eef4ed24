public import Foundation

/// Persistent state that the hypervisors do not hold: templates, tasks, tokens, event history
/// and dialect state. SQLite implements it for one instance; a PostgreSQL implementation can
/// follow for several instances sharing one store.
public protocol GatewayStore: Sendable {
    // MARK: Templates
    /// All templates, by name.
    func templates() async throws -> [Template]
    /// One template, or nil.
    func template(named name: String) async throws -> Template?
    /// Inserts or replaces a template.
    func saveTemplate(_ template: Template) async throws
    /// Deletes a template; returns whether it existed.
    @discardableResult func deleteTemplate(named name: String) async throws -> Bool

    // MARK: Tasks
    /// Allocates the next task id.
    func nextTaskID() async throws -> String
    /// Inserts or replaces a task.
    func saveTask(_ task: TaskRecord) async throws
    /// One task, or nil.
    func task(id: String) async throws -> TaskRecord?
    /// Most recent tasks first.
    func tasks(limit: Int) async throws -> [TaskRecord]

    // MARK: Tokens
    /// Stores a token.
    func saveToken(_ token: Token) async throws
    /// Looks a token up by value.
    func token(_ value: String) async throws -> Token?
    /// Tokens of a user.
    func tokens(ofUser user: String) async throws -> [Token]
    /// Deletes a token; returns whether it existed.
    @discardableResult func deleteToken(_ value: String) async throws -> Bool

    // MARK: History
    /// Records an event (clone finished, machine booted, checkout) for summaries.
    func record(_ event: HistoryEvent) async throws
    /// Events of `kind` (or all) between two instants, oldest first.
    func history(kind: String?, from: Date, to: Date) async throws -> [HistoryEvent]

    // MARK: Dialect state
    /// A value a dialect stored under `namespace`/`key`.
    func value(namespace: String, key: String) async throws -> Data?
    /// Stores or (with nil) deletes a value.
    func setValue(_ value: Data?, namespace: String, key: String) async throws
    /// All keys and values of a namespace.
    func values(namespace: String) async throws -> [String: Data]
}

/// A recorded happening, for summaries and metrics.
public struct HistoryEvent: Sendable, Codable, Hashable {
    /// Kind (`clone`, `boot`, `checkout`, `machine.state`).
    public var kind: String
    /// When it happened.
    public var at: Date
    /// Subject (`backend:name`, pool name).
    public var subject: String
    /// A duration in seconds, where it has one.
    public var duration: Double?
    /// Extra values (tags, pool, state).
    public var attributes: [String: String]

    /// Creates a history event.
    public init(
        kind: String, at: Date = Date(), subject: String, duration: Double? = nil, attributes: [String: String] = [:]
    ) {
        self.kind = kind
        self.at = at
        self.subject = subject
        self.duration = duration
        self.attributes = attributes
    }
}
