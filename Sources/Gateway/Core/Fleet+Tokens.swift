import Foundation
import Spec
import Synchronization

/// Who holds which API token, remembered briefly so a bearer request does not read the store
/// every time. Tokens are revoked through ``Fleet/revokeToken(_:)``, which forgets them here
/// first, so a revoked token stops working at once.
final class TokenCache: Sendable {
    /// Seconds a token's owner stays remembered.
    static let seconds: Double = 30
    /// Entries kept before the cache starts over.
    static let capacity = 10_000
    private let owners = Mutex<[String: (user: String, until: ContinuousClock.Instant)]>([:])

    func owner(of value: String) -> String? {
        let now = ContinuousClock.now
        return owners.withLock { owners in
            guard let hit = owners[value], hit.until > now else { return nil }
            return hit.user
        }
    }

    func remember(_ value: String, user: String) {
        let until = ContinuousClock.now.advanced(by: .seconds(Self.seconds))
        owners.withLock { owners in
            if owners.count >= Self.capacity { owners.removeAll(keepingCapacity: true) }
            owners[value] = (user, until)
        }
    }

    func forget(_ value: String) { _ = owners.withLock { $0.removeValue(forKey: value) } }
}

extension Fleet {
    /// The user an API token belongs to, or nil for an unknown or revoked token.
    public func tokenOwner(_ value: String) async throws -> String? {
        if let user = tokenCache.owner(of: value) { return user }
        guard let token = try await store.token(value) else { return nil }
        tokenCache.remember(value, user: token.user)
        return token.user
    }

    /// Revokes an API token (or session): it stops working at once.
    @discardableResult public func revokeToken(_ value: String) async throws -> Bool {
        tokenCache.forget(value)
        defer { tokenCache.forget(value) }
        return try await store.deleteToken(value)
    }
}
