import Crypto
import Foundation
public import Spec
import Synchronization

/// The gateway's users: one directory for every dialect, from configuration.
///
/// Passwords are checked against slow salted hashes (``PasswordHash``); a verified user name and
/// password pair is remembered for ``cacheSeconds`` (as a SHA-256 digest, never the password) so
/// HTTP Basic clients do not pay the key derivation on every request.
public final class UserDirectory: Sendable {
    /// How a user's password is stored.
    public enum Secret: Sendable, Hashable {
        /// A ``PasswordHash`` (`pbkdf2-sha256$…`).
        case hash(String)
        /// Deprecated: `sha256(salt + password)` in hex, from the old vmpooler and IM `users` options.
        case legacySHA256(salt: String, hex: String)
        /// Deprecated: a plaintext password from the old IM `users` option.
        case plaintext(String)
    }

    /// One user.
    public struct Entry: Sendable, Hashable {
        /// User name.
        public var name: String
        /// Role.
        public var role: Role
        /// The password, as stored.
        public var secret: Secret
        /// Groups the user is a member of.
        public var groups: Set<String>
        /// The user's own quota.
        public var quota: Quota?

        /// Creates an entry.
        public init(name: String, role: Role = .user, secret: Secret, groups: Set<String> = [], quota: Quota? = nil) {
            self.name = name
            self.role = role
            self.secret = secret
            self.groups = groups
            self.quota = quota
        }
    }

    /// Seconds a verified password stays cached.
    public static let cacheSeconds: Double = 60
    private let entries: [String: Entry]
    private let groupQuotas: [String: Quota]
    /// Verified passwords by stored secret (process-wide: a hash carries its own salt, so the
    /// same hash and password verify the same in any directory).
    private static let verified = Mutex<[String: (digest: [UInt8], until: ContinuousClock.Instant)]>([:])
    /// Entries the verified-password cache keeps before it starts over.
    static let cacheCapacity = 10_000

    /// Creates a directory (later entries of the same name win).
    public init(users: [Entry] = [], groupQuotas: [String: Quota] = [:]) {
        self.entries = Dictionary(users.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.groupQuotas = groupQuotas
    }

    /// Whether no user is configured.
    public var isEmpty: Bool { entries.isEmpty }

    /// User names, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// The principal of a configured user, without checking a password (for token owners).
    public func principal(named name: String) -> Principal? {
        entries[name].map { Principal(user: $0.name, role: $0.role, groups: $0.groups) }
    }

    /// The principal of `user` when `password` is theirs; nil otherwise.
    public func authenticate(user: String, password: String) -> Principal? {
        guard let entry = entries[user] else {
            // Spend the same work on unknown users, so timing does not tell which names exist.
            _ = PasswordHash.verify(password, against: Self.decoy)
            return nil
        }
        let digest = Array(SHA256.hash(data: Array((user + "\u{0}" + password).utf8)))
        let key = user + "\u{0}" + Self.cacheKey(entry.secret)
        let now = ContinuousClock.now
        let cached = Self.verified.withLock { cache -> Bool in
            guard let hit = cache[key], hit.until > now else { return false }
            return PasswordDigest.constantTimeEqual(hit.digest, digest)
        }
        if !cached {
            guard Self.matches(entry.secret, password) else { return nil }
            Self.verified.withLock { cache in
                if cache.count >= Self.cacheCapacity { cache.removeAll(keepingCapacity: true) }
                cache[key] = (digest, now.advanced(by: .seconds(Self.cacheSeconds)))
            }
        }
        return Principal(user: entry.name, role: entry.role, groups: entry.groups)
    }

    /// The quota of a user, if one is set.
    public func quota(ofUser user: String) -> Quota? { entries[user]?.quota }

    /// The quota of a group, if one is set.
    public func quota(ofGroup group: String) -> Quota? { groupQuotas[group] }

    /// Whether any user or group has a quota.
    public var hasQuotas: Bool { !groupQuotas.isEmpty || entries.values.contains { $0.quota != nil } }

    /// Users whose password is stored in a deprecated form.
    public var legacyUsers: [String] {
        entries.values.filter { if case .hash = $0.secret { false } else { true } }.map(\.name).sorted()
    }

    /// What identifies a stored secret in the cache (never a plaintext password itself).
    static func cacheKey(_ secret: Secret) -> String {
        switch secret {
        case .hash(let hash): hash
        case .legacySHA256(let salt, let hex): "sha256$\(salt)$\(hex)"
        case .plaintext(let password): "plain$" + PasswordDigest.sha256Hex(password)
        }
    }

    static func matches(_ secret: Secret, _ password: String) -> Bool {
        switch secret {
        case .hash(let hash): PasswordHash.verify(password, against: hash)
        case .legacySHA256(let salt, let hex): PasswordDigest.matches(password: password, salt: salt, expected: hex)
        case .plaintext(let expected): PasswordDigest.constantTimeEqual(expected, password)
        }
    }

    /// A hash no password matches in practice, checked for unknown user names.
    static let decoy: String = (try? PasswordHash.make(UUID().uuidString)) ?? ""
}
