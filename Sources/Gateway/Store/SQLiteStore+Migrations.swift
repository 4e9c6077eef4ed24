import GRDB

extension SQLiteStore {
    /// Name of the `counter` row that allocates task ids.
    static let taskCounter = "task"

    /// The schema, as named migrations applied in order. Never edit a shipped migration;
    /// append a new one instead.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "template") { t in
                t.primaryKey("name", .text)
                t.column("body", .jsonText).notNull()
            }

            try db.create(table: "task") { t in
                t.primaryKey("id", .integer)
                t.column("kind", .text).notNull()
                t.column("target", .text).notNull()
                t.column("status", .text).notNull()
                t.column("progress", .integer).notNull()
                t.column("message", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.column("updatedAt", .double).notNull()
            }
            try db.create(index: "task_on_createdAt", on: "task", columns: ["createdAt"], options: [])

            // Monotonic counters; task ids come from here so they are never reused.
            try db.create(table: "counter") { t in
                t.primaryKey("name", .text)
                t.column("value", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO counter (name, value) VALUES (?, 0)", arguments: [taskCounter])

            try db.create(table: "token") { t in
                t.primaryKey("value", .text)
                t.column("user", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.column("lastUsedAt", .double)
            }
            try db.create(index: "token_on_user", on: "token", columns: ["user"], options: [])

            try db.create(table: "history") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("at", .double).notNull()
                t.column("subject", .text).notNull()
                t.column("duration", .double)
                t.column("attributes", .jsonText).notNull()
            }
            try db.create(index: "history_on_kind_at", on: "history", columns: ["kind", "at"], options: [])
            try db.create(index: "history_on_at", on: "history", columns: ["at"], options: [])

            try db.create(table: "kv") { t in
                t.column("namespace", .text).notNull()
                t.column("key", .text).notNull()
                t.column("value", .blob).notNull()
                t.primaryKey(["namespace", "key"])
            }
        }
        // Tasks remember the user who started them, so users see only their own.
        migrator.registerMigration("v2-task-owner") { db in
            try db.alter(table: "task") { t in t.add(column: "owner", .text) }
        }
        return migrator
    }()
}
