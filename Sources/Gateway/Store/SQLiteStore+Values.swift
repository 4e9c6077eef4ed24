public import Foundation
import GRDB

/// A row of `kv`: dialect state under a namespace.
struct ValueRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "kv"

    var namespace: String
    var key: String
    var value: Data
}

extension SQLiteStore {
    /// The value stored under `namespace`/`key`, or nil.
    public func value(namespace: String, key: String) async throws -> Data? {
        try await read { db in
            try ValueRow.fetchOne(db, key: ["namespace": namespace, "key": key])?.value
        }
    }

    /// Stores `value` under `namespace`/`key`, replacing any previous one; nil deletes it.
    public func setValue(_ value: Data?, namespace: String, key: String) async throws {
        try await write { db in
            if let value {
                try ValueRow(namespace: namespace, key: key, value: value).upsert(db)
            } else {
                try ValueRow.deleteOne(db, key: ["namespace": namespace, "key": key])
            }
        }
    }

    /// All keys and values of `namespace`.
    public func values(namespace: String) async throws -> [String: Data] {
        try await read { db in
            let rows = try ValueRow.filter(Column("namespace") == namespace).fetchAll(db)
            return Dictionary(rows.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        }
    }
}
