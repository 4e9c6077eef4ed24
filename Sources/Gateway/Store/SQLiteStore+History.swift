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
}
