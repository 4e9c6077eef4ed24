import DialectKit
import Foundation
public import GatewayCore
import Spec

/// Checks user names and passwords for the `/token` routes (vmpooler's "authentication store").
public protocol VMPoolerAuthProvider: Sendable {
    /// Whether authentication is configured at all; without it `/token` answers 404 and VMs need no token.
    var isEnabled: Bool { get }
    /// Whether `password` is `user`'s password.
    func authenticate(user: String, password: String) async -> Bool
}

/// Users from configuration: `user:salt:sha256hex(salt + password)` entries, comma-separated.
///
/// Make an entry with `printf '%s' "$SALT$PASSWORD" | sha256sum`.
public struct StaticUserAuth: VMPoolerAuthProvider {
    /// One configured user.
    public struct Entry: Sendable, Hashable {
        /// Salt prepended to the password.
        public var salt: String
        /// Lowercase hex SHA-256 of salt + password.
        public var hash: String
    }

    let users: [String: Entry]

    /// Creates the provider.
    public init(users: [String: Entry]) { self.users = users }

    public var isEnabled: Bool { !users.isEmpty }

    public func authenticate(user: String, password: String) async -> Bool {
        guard let entry = users[user] else { return false }
        return PasswordDigest.matches(password: password, salt: entry.salt, expected: entry.hash)
    }

    /// Parses the `users` option.
    public static func parse(_ option: String) throws -> [String: Entry] {
        var users: [String: Entry] = [:]
        for item in option.split(separator: ",") {
            let parts = item.trimmingCharacters(in: .whitespaces).split(
                separator: ":", omittingEmptySubsequences: false
            )
            .map(String.init)
            guard parts.count == 3, !parts[0].isEmpty,
                parts[2].count == 64, parts[2].allSatisfy({ $0.isHexDigit })
            else {
                throw SpecError.invalid("vmpooler option 'users': expected 'user:salt:sha256hex', got '\(item)'")
            }
            users[parts[0]] = Entry(salt: parts[1], hash: parts[2].lowercased())
        }
        return users
    }
}

/// Users from the gateway's user directory.
public struct DirectoryAuth: VMPoolerAuthProvider {
    let users: UserDirectory

    /// Creates the provider.
    public init(users: UserDirectory) { self.users = users }

    public var isEnabled: Bool { !users.isEmpty }

    public func authenticate(user: String, password: String) async -> Bool {
        users.authenticate(user: user, password: password) != nil
    }
}
