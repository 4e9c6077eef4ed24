public import Foundation
import GRDB
public import Spec

/// A row of `token`.
struct TokenRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "token"

    var value: String
    var user: String
    var createdAt: Double
    var lastUsedAt: Double?

    init(_ token: Token) {
        self.value = token.value
        self.user = token.user
        self.createdAt = token.createdAt.storeSeconds
        self.lastUsedAt = token.lastUsedAt?.storeSeconds
    }

    var token: Token {
        Token(
            value: value, user: user, createdAt: Date(storeSeconds: createdAt),
            lastUsedAt: lastUsedAt.map { Date(storeSeconds: $0) })
    }
}

extension SQLiteStore {
    /// Stores a token, or updates it (`lastUsedAt`) when the same user saves it again.
    ///
    /// - Throws: ``SpecError`` `conflict` when the value already belongs to another user.
    public func saveToken(_ token: Token) async throws {
        let row = TokenRow(token)
        try await write { db in
            if let existing = try TokenRow.fetchOne(db, key: row.value), existing.user != row.user {
                throw SpecError.conflict("token already exists")
            }
            try row.upsert(db)
        }
    }

    /// The token with `value`, or nil.
    public func token(_ value: String) async throws -> Token? {
        try await read { db in try TokenRow.fetchOne(db, key: value)?.token }
    }

    /// Sets `lastUsedAt` of an existing token in one `UPDATE`; a token deleted meanwhile stays
    /// deleted. Returns whether the token existed.
    @discardableResult
    public func touchToken(_ value: String, at date: Date) async throws -> Bool {
        try await write { db in
            try TokenRow.filter(key: value).updateAll(db, Column("lastUsedAt").set(to: date.storeSeconds)) > 0
        }
    }

    /// The tokens of `user`, oldest first.
    public func tokens(ofUser user: String) async throws -> [Token] {
        try await read { db in
            try TokenRow
                .filter(Column("user") == user)
                .order(Column("createdAt"), Column("value"))
                .fetchAll(db)
                .map(\.token)
        }
    }

    /// Deletes the token with `value`; returns whether it existed.
    @discardableResult
    public func deleteToken(_ value: String) async throws -> Bool {
        try await write { db in try TokenRow.deleteOne(db, key: value) }
    }
}
