import Foundation
import GRDB
public import Spec

/// A row of `task`.
struct TaskRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "task"

    var id: Int64
    var kind: String
    var target: String
    var status: String
    var progress: Int
    var message: String
    var createdAt: Double
    var updatedAt: Double
    var owner: String?

    init(_ task: TaskRecord) throws {
        guard let id = Int64(task.id), id > 0 else {
            throw SpecError.invalid("task id '\(task.id.prefix(40))' is not a positive decimal number")
        }
        self.id = id
        self.kind = task.kind
        self.target = task.target
        self.status = task.status.rawValue
        self.progress = task.progress
        self.message = task.message
        self.createdAt = task.createdAt.storeSeconds
        self.updatedAt = task.updatedAt.storeSeconds
        self.owner = task.owner
    }

    func record() throws -> TaskRecord {
        guard let status = TaskRecord.Status(rawValue: status) else {
            throw SpecError.unavailable("store failure", cause: "task \(id) has unknown status '\(status)'")
        }
        return TaskRecord(
            id: String(id), kind: kind, target: target, status: status, progress: progress, message: message,
            createdAt: Date(storeSeconds: createdAt), updatedAt: Date(storeSeconds: updatedAt), owner: owner)
    }
}

extension SQLiteStore {
    /// Allocates the next task id: a decimal number greater than every id allocated or saved
    /// before, also across restarts.
    public func nextTaskID() async throws -> String {
        try await write { db in
            try db.execute(
                sql: "UPDATE counter SET value = value + 1 WHERE name = ?", arguments: [Self.taskCounter])
            guard
                let value = try Int64.fetchOne(
                    db, sql: "SELECT value FROM counter WHERE name = ?", arguments: [Self.taskCounter])
            else {
                throw SpecError.unavailable("store failure", cause: "task counter missing")
            }
            return String(value)
        }
    }

    /// Inserts or replaces a task. Its id must be a positive decimal number (as from
    /// ``nextTaskID()``); later allocations never return it again.
    ///
    /// - Throws: ``SpecError`` `invalid` for a non-numeric id.
    public func saveTask(_ task: TaskRecord) async throws {
        let row = try TaskRow(task)
        try await write { db in
            try row.upsert(db)
            // Keep the counter ahead of explicitly chosen ids so they are never handed out again.
            try db.execute(
                sql: "UPDATE counter SET value = MAX(value, ?) WHERE name = ?",
                arguments: [row.id, Self.taskCounter])
        }
    }

    /// The task with `id`, or nil (also for ids that are not numbers).
    public func task(id: String) async throws -> TaskRecord? {
        guard let key = Int64(id) else { return nil }
        return try await read { db in
            try TaskRow.fetchOne(db, key: key)?.record()
        }
    }

    /// At most `limit` tasks, most recently created first.
    public func tasks(limit: Int) async throws -> [TaskRecord] {
        guard limit > 0 else { return [] }
        return try await read { db in
            try TaskRow
                .order(Column("createdAt").desc, Column("id").desc)
                .limit(limit)
                .fetchAll(db)
                .map { try $0.record() }
        }
    }
}
