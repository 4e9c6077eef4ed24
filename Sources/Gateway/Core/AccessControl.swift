public import Spec

/// Who the current request acts for, carried as a task-local through the fleet so every
/// dialect is held to the same rules without passing the principal to each call.
///
/// No principal means the gateway itself (background work, or `auth: none`): it reaches every
/// machine. A principal that is not an admin reaches only machines it owns or its groups own;
/// anything else is reported as missing (404), so names do not leak.
public enum AccessControl {
    /// The principal of the request being served.
    @TaskLocal public static var principal: Principal?

    /// Runs `body` as the gateway itself (e.g. vmpooler handing out a pool's stock machine, which
    /// belongs to nobody until it is checked out).
    public static func asGateway<T>(_ body: () async throws -> T) async rethrows -> T {
        try await $principal.withValue(nil) { try await body() }
    }

    /// Whether the current principal may reach `machine`.
    public static func mayAccess(_ machine: Machine) -> Bool {
        guard let principal else { return true }
        return principal.mayAccess(owner: machine.metadata.owner, group: machine.metadata.group)
    }

    /// `notFound` unless the current principal may reach `machine`.
    public static func require(_ machine: Machine, id: String) throws {
        guard mayAccess(machine) else { throw SpecError.notFound("no machine named '\(id)'") }
    }

    /// `notFound` unless the current principal is an admin (or the gateway itself): for
    /// backend-level and configuration routes a user must not learn exist.
    public static func requireAdmin(_ what: String) throws {
        if let principal, !principal.isAdmin { throw SpecError.notFound("no \(what)") }
    }
}

extension Fleet {
    /// The newest `limit` tasks the current principal may see: all for admins and the gateway,
    /// their own for a user.
    public func visibleTasks(limit: Int) async throws -> [TaskRecord] {
        guard let principal = AccessControl.principal, !principal.isAdmin else {
            return try await store.tasks(limit: limit)
        }
        // A user's tasks are found among a larger window, so other users' activity does not hide them.
        let window = limit > Int.max / 10 ? Int.max : max(limit * 10, 1000)
        return Array(try await store.tasks(limit: window).filter { $0.owner == principal.user }.prefix(limit))
    }

    /// One task the current principal may see; nil when there is none (or it is another user's).
    public func visibleTask(id: String) async throws -> TaskRecord? {
        guard let task = try await store.task(id: id) else { return nil }
        guard let principal = AccessControl.principal else { return task }
        return principal.isAdmin || task.owner == principal.user ? task : nil
    }
}
