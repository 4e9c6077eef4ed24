public import Foundation

/// An authenticated user of the gateway.
public struct Principal: Sendable, Codable, Hashable {
    /// User name.
    public var user: String

    /// Creates a principal.
    public init(user: String) {
        self.user = user
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
