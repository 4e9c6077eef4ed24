import DialectKit
import Foundation
import GatewayCore
import Logging
public import Spec

extension GatewayConfiguration {
    /// One user of the gateway.
    public struct UserSettings: Sendable, Codable, Equatable {
        /// User name.
        public var name: String
        /// `admin` or `user` (default).
        public var role: String?
        /// A password hash made by `vmgate user add` (`pbkdf2-sha256$…`).
        public var password: String
        /// Groups whose machines the user shares.
        public var groups: [String]?
        /// The user's quota.
        public var quota: Quota?

        /// Creates a user entry.
        public init(name: String, role: String? = nil, password: String, groups: [String]? = nil, quota: Quota? = nil) {
            self.name = name
            self.role = role
            self.password = password
            self.groups = groups
            self.quota = quota
        }
    }

    /// Whether `host` is a loopback address or name.
    static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower == "::1" || lower == "[::1]" || lower.hasPrefix("127.")
    }

    /// Every address the gateway listens on.
    var listenHosts: [String] {
        [listen.host] + dialects.filter { ($0.enabled ?? true) && $0.port != nil }.compactMap(\.host)
    }

    /// The access mode: as configured, else `required` when a user is configured or a listener
    /// is not loopback.
    func accessMode(users: UserDirectory) throws -> AccessPolicy.Mode {
        if let auth {
            guard let mode = AccessPolicy.Mode(rawValue: auth) else {
                throw ConfigurationLoader.Failure(description: "auth: '\(auth)' is not one of required, none")
            }
            return mode
        }
        return !users.isEmpty || !listenHosts.allSatisfy(Self.isLoopback) ? .required : .none
    }

    /// The user directory: `users`, then the deprecated `users` options of the vmpooler and IM
    /// dialects (with a warning each).
    func userDirectory(logger: Logger) throws -> UserDirectory {
        var entries: [UserDirectory.Entry] = []
        var names = Set<String>()
        for (index, user) in users.enumerated() {
            guard !user.name.isEmpty, user.name.allSatisfy({ !$0.isWhitespace && $0 != ":" && !$0.isNewline }) else {
                throw ConfigurationLoader.Failure(description: "users[\(index)].name must be a word without ':'")
            }
            guard names.insert(user.name).inserted else {
                throw ConfigurationLoader.Failure(description: "users[\(index)]: a second user named '\(user.name)'")
            }
            guard let role = Role(rawValue: user.role ?? "user") else {
                throw ConfigurationLoader.Failure(description: "users[\(index)].role must be admin or user")
            }
            do { try PasswordHash.validate(user.password) } catch let error as SpecError {
                throw ConfigurationLoader.Failure(description: "users[\(index)].password: \(error.message)")
            }
            entries.append(
                .init(
                    name: user.name, role: role, secret: .hash(user.password), groups: Set(user.groups ?? []),
                    quota: user.quota))
        }
        for mount in dialects where mount.enabled ?? true {
            guard let option = mount.options?["users"], !option.isEmpty else { continue }
            logger.warning(
                "the '\(mount.name)' dialect's 'users' option is deprecated: move its users to the top-level 'users' list (vmgate user add)"
            )
            let legacy = try Self.legacyUsers(option, dialect: mount.name)
            let plaintext = legacy.filter { if case .plaintext = $0.secret { true } else { false } }.map(\.name)
            if !plaintext.isEmpty {
                // Names only, never the passwords.
                logger.warning(
                    "the '\(mount.name)' dialect's 'users' option holds plaintext passwords: replace them with hashes (vmgate user add)",
                    metadata: ["users": "\(plaintext.sorted().joined(separator: ","))"])
            }
            for entry in legacy where names.insert(entry.name).inserted { entries.append(entry) }
        }
        return UserDirectory(users: entries, groupQuotas: groupQuotas)
    }

    /// Entries of an old `users` option: `user:salt:hex` (vmpooler), `user:sha256:salt:hex` or
    /// `user:password` (IM).
    static func legacyUsers(_ option: String, dialect: String) throws -> [UserDirectory.Entry] {
        try option.split(separator: ",").map { item in
            let parts = item.trimmingCharacters(in: .whitespaces).split(
                separator: ":", omittingEmptySubsequences: false
            )
            .map(String.init)
            let name = parts[0]
            guard !name.isEmpty, parts.count >= 2 else {
                throw ConfigurationLoader.Failure(description: "dialect \(dialect) option 'users': bad entry '\(item)'")
            }
            if parts.count == 4, parts[1] == "sha256" {
                return .init(name: name, secret: .legacySHA256(salt: parts[2], hex: parts[3].lowercased()))
            }
            if dialect == "vmpooler", parts.count == 3 {
                return .init(name: name, secret: .legacySHA256(salt: parts[1], hex: parts[2].lowercased()))
            }
            return .init(name: name, secret: .plaintext(parts.dropFirst().joined(separator: ":")))
        }
    }

    /// The access policy of a built gateway; refuses an open gateway on a non-loopback address.
    func accessPolicy(logger: Logger) throws -> AccessPolicy {
        let users = try userDirectory(logger: logger)
        let mode = try accessMode(users: users)
        if mode == .required, users.isEmpty, listenHosts.allSatisfy(Self.isLoopback) {
            throw ConfigurationLoader.Failure(
                description: "auth: required, but there are no users to authenticate: add users (vmgate user add NAME)")
        }
        let exposed = listenHosts.filter { !Self.isLoopback($0) }
        if let host = exposed.first {
            guard mode == .required else {
                throw ConfigurationLoader.Failure(
                    description: "auth: none is only allowed when every listener is loopback, but '\(host)' is not")
            }
            guard !users.isEmpty else {
                throw ConfigurationLoader.Failure(
                    description:
                        "the gateway listens on '\(host)' but has no users: add users (vmgate user add NAME) or listen on 127.0.0.1"
                )
            }
        }
        for (index, host) in (allowedHosts ?? []).enumerated() where host.isEmpty || host.contains("/") {
            throw ConfigurationLoader.Failure(description: "allowedHosts[\(index)]: '\(host)' is not a host name")
        }
        let wildcard = listenHosts.contains { $0 == "0.0.0.0" || $0 == "::" }
        var hosts = AccessPolicy.loopbackHosts.union(listenHosts.map { $0.lowercased() })
        hosts.formUnion((allowedHosts ?? []).map { $0.lowercased() })
        return AccessPolicy(
            mode: mode, users: users,
            allowedHosts: wildcard && allowedHosts == nil ? nil : hosts,
            allowedOrigins: Set(allowedOrigins ?? []))
    }
}
