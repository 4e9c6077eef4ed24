import Foundation
public import Spec

extension Fleet {
    /// Runs `create` for a machine made from `spec` when the current principal's quota and the
    /// quota of the machine's group leave room for it; `forbidden` (403 in every dialect) otherwise.
    ///
    /// The check and the create hold a lock per user and per group, so parallel creates are
    /// counted one after another and never pass a quota together.
    func admitting(_ spec: MachineSpec, _ create: () async throws -> Machine) async throws -> Machine {
        guard let principal = AccessControl.principal, users.hasQuotas else { return try await create() }
        let userQuota = users.quota(ofUser: principal.user)
        let groupQuota = spec.metadata.group.flatMap { users.quota(ofGroup: $0) }
        guard userQuota != nil || groupQuota != nil else { return try await create() }
        var keys: Set<String> = []
        if userQuota != nil { keys.insert("user:" + principal.user) }
        if groupQuota != nil, let group = spec.metadata.group { keys.insert("group:" + group) }
        return try await quotaLocks.withLocks(keys) {
            let all = await AccessControl.asGateway { await machines() }.machines
            let adding = Usage(of: spec)
            if let quota = userQuota {
                let held = Self.usage(all.filter { $0.metadata.owner == principal.user })
                if let over = (held + adding).exceeded(quota) {
                    throw SpecError.forbidden("quota exceeded: user '\(principal.user)' would hold \(over)")
                }
            }
            if let quota = groupQuota, let group = spec.metadata.group {
                let held = Self.usage(all.filter { $0.metadata.group == group })
                if let over = (held + adding).exceeded(quota) {
                    throw SpecError.forbidden("quota exceeded: group '\(group)' would hold \(over)")
                }
            }
            return try await create()
        }
    }

    /// What the current principal holds: their machines, and their quota.
    public func usage(of principal: Principal) async -> Usage {
        let all = await AccessControl.asGateway { await machines() }.machines
        return Self.usage(all.filter { $0.metadata.owner == principal.user })
    }

    /// What `machines` hold together.
    static func usage(_ machines: [Machine]) -> Usage { machines.map(Usage.init(of:)).reduce(Usage(), +) }
}
