import Spec

/// Where a group's machines are routed and which of them live elsewhere.
public struct GroupRouting: Sendable, Codable, Hashable {
    /// A machine of the group on a backend the group is not routed to.
    public struct Stray: Sendable, Codable, Hashable {
        /// `backend:name`.
        public var id: String
        /// The backend holding it.
        public var backend: String
        /// Its name on that backend.
        public var name: String
    }

    /// Group name.
    public var name: String
    /// Backends the group is routed to (new machines go there; first is the default).
    public var backends: [String]
    /// Machines of the group on those backends.
    public var routedMachines: Int
    /// Machines of the group on other backends: the gateway still lists and controls them
    /// by id, but the group no longer places or counts on their backend.
    public var unreachableMachines: [Stray]
    /// Backends that could not be listed (their machines are unknown).
    public var warnings: [String]
}

extension Fleet {
    /// Routing of every group, from one merged machine list.
    public func routingReport() async -> [GroupRouting] {
        let list = await machines()
        return groups.all.map { routing(of: $0, in: list) }
    }

    /// Routing of one group (by name or alias), or `notFound`.
    public func routing(ofGroup name: String) async throws -> GroupRouting {
        let group = try groups.require(name)
        return routing(of: group, in: await machines())
    }

    private func routing(of group: Group, in list: MachineList) -> GroupRouting {
        let names = Set([group.name] + group.aliases)
        let members = list.machines.filter { $0.metadata.group.map(names.contains) ?? false }
        let routed = Set(group.backends)
        let strays = members.filter { !routed.contains($0.backend) }
            .map { GroupRouting.Stray(id: $0.id, backend: $0.backend, name: $0.name) }
        return GroupRouting(
            name: group.name, backends: group.backends, routedMachines: members.count - strays.count,
            unreachableMachines: strays, warnings: list.warnings)
    }
}
