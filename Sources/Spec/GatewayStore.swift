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
    /// Sets a token's `lastUsedAt` only if the token still exists (never re-inserts a revoked
    /// token); returns whether it existed.
    @discardableResult func touchToken(_ value: String, at date: Date) async throws -> Bool
    /// Tokens of a user.
    func tokens(ofUser user: String) async throws -> [Token]
    /// Deletes a token; returns whether it existed.
    @discardableResult func deleteToken(_ value: String) async throws -> Bool

    // MARK: History
    /// Records an event (clone finished, machine booted, checkout) for summaries.
    func record(_ event: HistoryEvent) async throws
    /// Records several events at once (one transaction where the store has them).
    func record(_ events: [HistoryEvent]) async throws
    /// Events of `kind` (or all) between two instants, oldest first.
    func history(kind: String?, from: Date, to: Date) async throws -> [HistoryEvent]
    /// Statistics of the durations of `kind` events between two instants, per value of the
    /// attribute `key` (events without it count under "").
    func durationStats(kind: String, from: Date, to: Date, by key: String) async throws -> [String: DurationStats]

    // MARK: Dialect state
    /// A value a dialect stored under `namespace`/`key`.
    func value(namespace: String, key: String) async throws -> Data?
    /// Stores or (with nil) deletes a value.
    func setValue(_ value: Data?, namespace: String, key: String) async throws
    /// All keys and values of a namespace.
    func values(namespace: String) async throws -> [String: Data]
}

extension GatewayStore {
    /// Records the events one by one.
    public func record(_ events: [HistoryEvent]) async throws {
        for event in events { try await record(event) }
    }

    /// Computed from ``history(kind:from:to:)``.
    public func durationStats(
        kind: String, from: Date, to: Date, by key: String
    ) async throws -> [String: DurationStats] {
        var stats: [String: DurationStats] = [:]
        for event in try await history(kind: kind, from: from, to: to) {
            guard let duration = event.duration else { continue }
            stats[event.attributes[key] ?? "", default: DurationStats()].add(duration)
        }
        return stats
    }
}

/// How many durations, their sum, the shortest and the longest.
public struct DurationStats: Sendable, Hashable, Codable {
    public var count: Int
    public var total: Double
    public var min: Double
    public var max: Double

    /// Creates statistics (empty by default).
    public init(count: Int = 0, total: Double = 0, min: Double = 0, max: Double = 0) {
        self.count = count
        self.total = total
        self.min = min
        self.max = max
    }

    /// The mean, 0 when empty.
    public var average: Double { count == 0 ? 0 : total / Double(count) }

    /// Adds one duration.
    public mutating func add(_ duration: Double) {
        self = merged(with: DurationStats(count: 1, total: duration, min: duration, max: duration))
    }

    /// Both sets together.
    public func merged(with other: DurationStats) -> DurationStats {
        guard count > 0 else { return other }
        guard other.count > 0 else { return self }
        return DurationStats(
            count: count + other.count, total: total + other.total, min: Swift.min(min, other.min),
            max: Swift.max(max, other.max))
    }
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
