import Foundation
public import Spec
import Synchronization

/// The groups of a gateway: those from configuration, plus those created at run time
/// (Comet clusters, IM infrastructures), which persist in the store.
public final class GroupDirectory: Sendable {
    private static let namespace = "groups"
    private let groups: Mutex<[String: Group]>
    private let configured: Set<String>
    private let store: any GatewayStore

    /// Creates a directory from configured groups; call ``load()`` to add stored ones.
    public init(configured: [Group], store: any GatewayStore) {
        self.groups = Mutex(Dictionary(configured.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last }))
        self.configured = Set(configured.map(\.name))
        self.store = store
    }

    /// Loads groups created at run time from the store.
    public func load() async throws {
        let stored = try await store.values(namespace: Self.namespace)
        let decoded = try stored.values.map { try JSONDecoder().decode(Group.self, from: $0) }
        groups.withLock { groups in
            for group in decoded where groups[group.name] == nil { groups[group.name] = group }
        }
    }

    /// All groups by name.
    public var all: [Group] { groups.withLock { Array($0.values) }.sorted { $0.name < $1.name } }

    /// A group by name or alias.
    public func group(_ name: String) -> Group? {
        groups.withLock { groups in
            groups[name] ?? groups.values.first { $0.aliases.contains(name) }
        }
    }

    /// A group by name or alias, or `notFound`.
    public func require(_ name: String) throws -> Group {
        guard let group = group(name) else { throw SpecError.notFound("no group named '\(name)'") }
        return group
    }

    /// Whether the group comes from configuration (and so cannot be deleted through an API).
    public func isConfigured(_ name: String) -> Bool { configured.contains(name) }

    /// Adds a run-time group; `conflict` if the name is taken.
    public func create(_ group: Group) async throws {
        try NameRules.validate(group.name, what: "group name")
        let inserted = groups.withLock { groups -> Bool in
            guard groups[group.name] == nil else { return false }
            groups[group.name] = group
            return true
        }
        guard inserted else { throw SpecError.conflict("group '\(group.name)' already exists") }
        do { try await persist(group) } catch {
            _ = groups.withLock { $0.removeValue(forKey: group.name) }
            throw error
        }
    }

    /// Replaces a group's parameters.
    public func update(_ group: Group) async throws {
        _ = try require(group.name)
        if !configured.contains(group.name) { try await persist(group) }
        groups.withLock { $0[group.name] = group }
    }

    /// Removes a run-time group.
    public func delete(_ name: String) async throws {
        _ = try require(name)
        guard !configured.contains(name) else {
            throw SpecError.conflict("group '\(name)' comes from configuration and cannot be deleted")
        }
        try await store.setValue(nil, namespace: Self.namespace, key: name)
        _ = groups.withLock { $0.removeValue(forKey: name) }
    }

    private func persist(_ group: Group) async throws {
        try await store.setValue(try JSONEncoder().encode(group), namespace: Self.namespace, key: group.name)
    }
}
