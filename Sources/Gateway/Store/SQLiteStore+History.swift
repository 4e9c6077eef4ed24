public import Foundation
import GRDB
public import Spec

/// A row of `history`; `attributes` is JSON text.
struct HistoryRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "history"

    var id: Int64?
    var kind: String
    var at: Double
    var subject: String
    var duration: Double?
    var attributes: String

    init(_ event: HistoryEvent) throws {
        self.id = nil
        self.kind = event.kind
        self.at = event.at.storeSeconds
        self.subject = event.subject
        self.duration = event.duration
        self.attributes = try StoreJSON.encode(event.attributes)
    }

    func event() throws -> HistoryEvent {
        HistoryEvent(
            kind: kind, at: Date(storeSeconds: at), subject: subject, duration: duration,
            attributes: try StoreJSON.decode([String: String].self, from: attributes))
    }
}

extension SQLiteStore {
    /// Appends an event to the history.
    public func record(_ event: HistoryEvent) async throws {
        let row = try HistoryRow(event)
        try await write { db in try row.insert(db) }
    }

    /// Appends several events in one transaction.
    public func record(_ events: [HistoryEvent]) async throws {
        let rows = try events.map(HistoryRow.init)
        guard !rows.isEmpty else { return }
        try await write { db in for row in rows { try row.insert(db) } }
    }

    /// Events of `kind` (all kinds when nil) with `from <= at <= to`, oldest first; events
    /// recorded at the same instant come in recording order.
    public func history(kind: String?, from: Date, to: Date) async throws -> [HistoryEvent] {
        let lower = from.storeSeconds
        let upper = to.storeSeconds
        guard lower <= upper else { return [] }
        return try await read { db in
            var request = HistoryRow.filter(Column("at") >= lower && Column("at") <= upper)
            if let kind {
                request = request.filter(Column("kind") == kind)
            }
            return
                try request
                .order(Column("at"), Column("id"))
                .fetchAll(db)
                .map { try $0.event() }
        }
    }

    /// Aggregated in SQL (`json_extract` on the attributes), so the cost does not grow with
    /// decoding every event.
    public func durationStats(
        kind: String, from: Date, to: Date, by key: String
    ) async throws -> [String: DurationStats] {
        let lower = from.storeSeconds
        let upper = to.storeSeconds
        guard lower <= upper else { return [:] }
        let path = "$.\"" + key.replacingOccurrences(of: "\"", with: "") + "\""
        return try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT COALESCE(json_extract(attributes, ?), '') AS key, COUNT(duration) AS count,
                           TOTAL(duration) AS total, MIN(duration) AS min, MAX(duration) AS max
                    FROM history WHERE kind = ? AND at >= ? AND at <= ? AND duration IS NOT NULL
                    GROUP BY 1
                    """, arguments: [path, kind, lower, upper])
            var stats: [String: DurationStats] = [:]
            for row in rows {
                let name: String = row["key"]
                stats[name] = DurationStats(count: row["count"], total: row["total"], min: row["min"], max: row["max"])
            }
            return stats
        }
    }
}
