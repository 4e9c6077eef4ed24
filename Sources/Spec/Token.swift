public import Foundation

/// What a principal may do: everything, or their own machines and their groups' machines.
public enum Role: String, Sendable, Codable, Hashable, CaseIterable {
    /// Everything: every machine, backends, pools, templates, backend-level routes, the audit log.
    case admin
    /// Their own machines and machines of groups that list them as members.
    case user
}

/// An authenticated user of the gateway.
public struct Principal: Sendable, Codable, Hashable {
    /// User name.
    public var user: String
    /// What the user may do.
    public var role: Role
    /// Groups the user is a member of: their machines are the user's too.
    public var groups: Set<String>

    /// Creates a principal.
    public init(user: String, role: Role = .user, groups: Set<String> = []) {
        self.user = user
        self.role = role
        self.groups = groups
    }

    /// Whether the principal is an administrator.
    public var isAdmin: Bool { role == .admin }

    /// Whether the principal may see and act on a machine owned by `owner` in `group`.
    public func mayAccess(owner: String?, group: String?) -> Bool {
        if isAdmin { return true }
        if let owner, owner == user { return true }
        if let group, groups.contains(group) { return true }
        return false
    }
}

/// An API token issued to a user.
public struct Token: Sendable, Codable, Hashable {
    /// The secret token value.
    public var value: String
    /// Owner.
    public var user: String
    /// When it was issued.
    public var createdAt: Date
    /// When it was last presented.
    public var lastUsedAt: Date?

    /// Creates a token.
    public init(value: String, user: String, createdAt: Date = Date(), lastUsedAt: Date? = nil) {
        self.value = value
        self.user = user
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}
