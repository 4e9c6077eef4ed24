public import Spec

extension Fleet {
    /// All templates.
    public func templates() async throws -> [Template] { try await store.templates() }

    /// A template, or `notFound`.
    public func requireTemplate(_ name: String) async throws -> Template {
        guard let template = try await store.template(named: name) else {
            throw SpecError.notFound("no template named '\(name)'")
        }
        return template
    }

    /// Adds a template; `conflict` if the name is taken.
    public func createTemplate(_ template: Template) async throws {
        try Self.validate(template)
        guard try await store.template(named: template.name) == nil else {
            throw SpecError.conflict("template '\(template.name)' already exists")
        }
        try await store.saveTemplate(template)
    }

    /// Replaces a template (renaming when `template.name` differs from `name`). Machines made
    /// from it are not touched.
    public func updateTemplate(named name: String, to template: Template) async throws {
        _ = try await requireTemplate(name)
        try Self.validate(template)
        if template.name != name {
            guard try await store.template(named: template.name) == nil else {
                throw SpecError.conflict("template '\(template.name)' already exists")
            }
            try await store.saveTemplate(template)
            try await store.deleteTemplate(named: name)
        } else {
            try await store.saveTemplate(template)
        }
    }

    /// Deletes a template.
    public func deleteTemplate(named name: String) async throws {
        guard try await store.deleteTemplate(named: name) else {
            throw SpecError.notFound("no template named '\(name)'")
        }
    }

    /// Checks a template's name, sizes and disks.
    public static func validate(_ template: Template) throws {
        try NameRules.validate(template.name, what: "template name")
        try Limits.validate(vcpus: template.vcpus)
        try Limits.validate(memoryKiB: template.memoryKiB)
        var indexes = Set<Int>()
        for disk in template.disks {
            guard indexes.insert(disk.index).inserted else {
                throw SpecError.invalid("template disk index \(disk.index) appears twice")
            }
            try Measure.bounded(disk.index, 0...63, field: "template disk index")
            guard disk.sizeGiB != nil || disk.volume != nil else {
                throw SpecError.invalid("template disk \(disk.index) needs a size or a volume")
            }
            if let size = disk.sizeGiB { _ = try Limits.diskBytes(size, .gib, field: "disk \(disk.index) size") }
            if let volume = disk.volume { try NameRules.validate(volume, what: "volume name") }
            if let pool = disk.pool { try NameRules.validate(pool, what: "storage pool name") }
        }
        if let network = template.network { try NameRules.validate(network, what: "network name") }
        for (field, value) in [
            ("osDistro", template.osDistro), ("osVersion", template.osVersion), ("icon", template.icon),
        ] {
            if let value { try TextRules.validate(value, field: field, maxLength: 1024) }
        }
        guard template.folder.count <= 16 else { throw SpecError.invalid("folder has more than 16 levels") }
        for part in template.folder { try TextRules.validate(part, field: "folder", maxLength: 256) }
    }
}
