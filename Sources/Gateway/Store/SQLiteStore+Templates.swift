import GRDB
public import Spec

/// A row of `template`: the Spec ``Template`` as JSON, keyed by name.
struct TemplateRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "template"

    var name: String
    var body: String

    init(_ template: Template) throws {
        self.name = template.name
        self.body = try StoreJSON.encode(template)
    }

    func template() throws -> Template {
        try StoreJSON.decode(Template.self, from: body)
    }
}

extension SQLiteStore {
    /// All templates, sorted by name.
    public func templates() async throws -> [Template] {
        try await read { db in
            try TemplateRow.order(Column("name")).fetchAll(db).map { try $0.template() }
        }
    }

    /// The template called `name`, or nil.
    public func template(named name: String) async throws -> Template? {
        try await read { db in
            try TemplateRow.fetchOne(db, key: name)?.template()
        }
    }

    /// Inserts or replaces the template with the same name.
    public func saveTemplate(_ template: Template) async throws {
        let row = try TemplateRow(template)
        try await write { db in try row.upsert(db) }
    }

    /// Deletes the template called `name`; returns whether it existed.
    @discardableResult
    public func deleteTemplate(named name: String) async throws -> Bool {
        try await write { db in try TemplateRow.deleteOne(db, key: name) }
    }
}
