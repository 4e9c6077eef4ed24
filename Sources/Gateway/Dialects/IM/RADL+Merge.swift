extension RADLDocument {
    /// This document with `other`'s definitions added (same-id definitions are replaced,
    /// references ignored), its contextualize merged and its deploys appended.
    func merging(_ other: RADLDocument) -> RADLDocument {
        var result = self
        func merge(_ mine: inout [RADLAspect], _ theirs: [RADLAspect]) {
            for aspect in theirs where !aspect.reference {
                if let index = mine.firstIndex(where: { $0.id == aspect.id }) {
                    mine[index] = aspect
                } else {
                    mine.append(aspect)
                }
            }
        }
        merge(&result.descriptions, other.descriptions)
        merge(&result.networks, other.networks)
        merge(&result.systems, other.systems)
        merge(&result.ansibles, other.ansibles)
        for configure in other.configures where !configure.reference {
            if let index = result.configures.firstIndex(where: { $0.name == configure.name }) {
                result.configures[index] = configure
            } else {
                result.configures.append(configure)
            }
        }
        if let context = other.contextualize {
            var merged = result.contextualize ?? RADLContextualize(line: context.line)
            merged.maxTime =
                max(merged.maxTime ?? 0, context.maxTime ?? 0) == 0
                ? nil : max(merged.maxTime ?? 0, context.maxTime ?? 0)
            merged.options += context.options.filter { option in !merged.options.contains { $0.name == option.name } }
            for item in context.items
            where !merged.items.contains(where: { $0.system == item.system && $0.configure == item.configure }) {
                merged.items.append(item)
            }
            result.contextualize = merged
        }
        result.deploys += other.deploys
        return result
    }

    /// The configure recipes that apply to `system`, in step order: the `contextualize` items
    /// naming it, or (without a contextualize sentence) the configure named like the system.
    func recipes(for system: String) -> [(configure: RADLConfigure, tool: String?)] {
        guard let contextualize else { return configure(system).map { [($0, nil)] } ?? [] }
        return contextualize.items.enumerated()
            .filter { $0.element.system == system }
            .sorted { ($0.element.step ?? 0, $0.offset) < ($1.element.step ?? 0, $1.offset) }
            .compactMap { item in configure(item.element.configure).map { ($0, item.element.tool) } }
    }
}

extension RADLAspect {
    /// This aspect with `other`'s features overriding those of the same name.
    func merging(_ other: RADLAspect) -> RADLAspect {
        var result = self
        let names = Set(other.features.map(\.name))
        result.features.removeAll { names.contains($0.name) }
        result.features += other.features
        return result
    }
}
