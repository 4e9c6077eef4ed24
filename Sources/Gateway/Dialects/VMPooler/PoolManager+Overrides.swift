import Foundation

extension PoolManager {
    static let overridesNamespace = "vmpooler.config"

    /// Stored overrides, read at start.
    struct Overrides: Codable {
        var sizes: [String: Int] = [:]
        var templates: [String: String] = [:]
    }

    /// Loads `/config` overrides saved by an earlier run.
    func loadOverrides() async {
        guard let data = try? await fleet.store.value(namespace: Self.overridesNamespace, key: "overrides"),
            let saved = try? JSONDecoder().decode(Overrides.self, from: data)
        else { return }
        table.withLock {
            $0.sizeOverrides = saved.sizes
            $0.templateOverrides = saved.templates
        }
    }

    private func saveOverrides() async {
        let current = table.withLock { Overrides(sizes: $0.sizeOverrides, templates: $0.templateOverrides) }
        do {
            try await fleet.store.setValue(
                try JSONEncoder().encode(current), namespace: Self.overridesNamespace, key: "overrides")
        } catch {
            logger.warning("could not save vmpooler config overrides", metadata: ["error": "\(error)"])
        }
    }

    /// Sets pool sizes; returns whether any changed.
    func override(sizes: [String: Int]) async -> Bool {
        let current = Dictionary(uniqueKeysWithValues: pools.map { ($0.name, $0.size) })
        let changed = sizes.contains { current[$0.key] != $0.value }
        table.withLock { table in for (pool, size) in sizes { table.sizeOverrides[pool] = size } }
        if changed { await saveOverrides() }
        return changed
    }

    /// Sets pool templates; a pool's unclaimed VMs are replaced from the new template.
    func override(templates: [String: String]) async -> Bool {
        let current = Dictionary(uniqueKeysWithValues: pools.map { ($0.name, $0.template) })
        let changed = templates.filter { current[$0.key] != $0.value }
        table.withLock { table in for (pool, template) in templates { table.templateOverrides[pool] = template } }
        for pool in changed.keys { resetPool(pool) }
        if !changed.isEmpty { await saveOverrides() }
        return !changed.isEmpty
    }

    /// Drops a size override; returns whether there was one that changed the size.
    func resetSize(_ pool: String) async -> Bool {
        let removed = table.withLock { $0.sizeOverrides.removeValue(forKey: pool) }
        guard removed != nil else { return false }
        await saveOverrides()
        return removed != fleet.groups.group(pool)?.size
    }

    /// Drops a template override (replacing the pool's unclaimed VMs).
    func resetTemplate(_ pool: String) async -> Bool {
        let removed = table.withLock { $0.templateOverrides.removeValue(forKey: pool) }
        guard let removed else { return false }
        await saveOverrides()
        guard removed != fleet.groups.group(pool)?.template else { return false }
        resetPool(pool)
        return true
    }
}
