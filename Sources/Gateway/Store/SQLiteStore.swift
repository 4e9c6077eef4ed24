import Foundation
import GRDB
public import Spec

/// A ``GatewayStore`` kept in one SQLite database, for a single gateway instance.
///
/// File databases are opened as a GRDB `DatabasePool` in WAL mode, so reads run concurrently
/// with the single writer; in-memory databases use a `DatabaseQueue`. Every access goes through
/// GRDB's async APIs and never blocks the caller's executor.
///
/// Timestamps are stored as `REAL` seconds since 1970. Dates therefore round-trip to within
/// about a microsecond, not bit for bit.
///
/// Failures surface as ``SpecError``: constraint violations (duplicates) as `conflict`,
/// everything else as `unavailable("store failure")` with the underlying error as the cause.
public final class SQLiteStore: GatewayStore {
    /// The database connection(s); `DatabaseWriter` is `Sendable`.
    let writer: any DatabaseWriter

    /// Opens (creating directories and the file) and migrates the database at `path`.
    ///
    /// - Throws: ``SpecError`` `unavailable` when the file cannot be created, opened or migrated.
    public init(path: String) throws {
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let pool = try DatabasePool(path: path, configuration: Self.configuration())
            try Self.migrator.migrate(pool)
            self.writer = pool
        } catch {
            throw Self.mapError(error)
        }
    }

    /// Wraps an already opened and migrated writer.
    private init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// An in-memory database, for tests. Its contents vanish with the store.
    ///
    /// - Throws: ``SpecError`` `unavailable` when the database cannot be set up.
    public static func inMemory() throws -> SQLiteStore {
        do {
            let queue = try DatabaseQueue(configuration: configuration())
            try migrator.migrate(queue)
            return SQLiteStore(writer: queue)
        } catch {
            throw mapError(error)
        }
    }

    /// Connection settings shared by file and memory databases.
    private static func configuration() -> Configuration {
        var config = Configuration()
        config.label = "vmgate.store"
        // Another process (a backup, a second tool) may hold the file briefly.
        config.busyMode = .timeout(5)
        // GRDB's default (user-initiated) runs its queues above request handling (on Linux, at a
        // negative nice value); store work has no claim to the CPU before the requests it serves.
        config.qos = .default
        return config
    }

    // MARK: Access helpers

    /// Runs `body` in a read-only transaction, mapping errors to ``SpecError``.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch {
            throw Self.mapError(error)
        }
    }

    /// Runs `body` in a write transaction, mapping errors to ``SpecError``.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(body)
        } catch {
            throw Self.mapError(error)
        }
    }

    /// Maps GRDB and coding errors onto ``SpecError``; ``SpecError``s pass through unchanged.
    static func mapError(_ error: any Error) -> SpecError {
        if let spec = error as? SpecError { return spec }
        if let database = error as? DatabaseError, database.resultCode == .SQLITE_CONSTRAINT {
            return .conflict("already exists", cause: String(describing: database))
        }
        return .unavailable("store failure", cause: String(describing: error))
    }
}

// MARK: - Encoding helpers

extension Date {
    /// Seconds since 1970, the stored form of every timestamp.
    var storeSeconds: Double { timeIntervalSince1970 }

    /// Decodes a stored timestamp.
    init(storeSeconds: Double) {
        self.init(timeIntervalSince1970: storeSeconds)
    }
}

/// JSON coding for the `JSON text` columns.
enum StoreJSON {
    /// Encodes `value` as compact JSON text with sorted keys.
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes JSON text stored in a column.
    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
