import DialectKit
import Foundation
import GatewayCore
import Spec

/// The caller of an IM request, from its `AUTHORIZATION` header (an IM auth file on one line).
struct IMCaller: Sendable, Hashable {
    /// The InfrastructureManager entry's username: infrastructures are scoped to it.
    var user: String
    /// The entry's password: infrastructures are bound to it too (only its salted hash is stored).
    var password: String
    /// Backend named by a `type = vmgate` cloud entry (`backend = …`).
    var backend: String?
    /// Group named by a `type = vmgate` cloud entry (`group = …`).
    var group: String?
    /// Whether the gateway's user directory made the caller an admin: admins reach every
    /// infrastructure (without binding anyone's to their password).
    var isAdmin = false
}

/// Parses IM auth data: entries separated by a literal `\n`, each `key = value` pairs
/// separated by `;` (quotes protect `;` and `=`), as IM's `Authentication.read_auth_data` reads them.
enum IMAuth {
    /// All entries of an auth header.
    static func entries(_ header: String) -> [[String: String]] {
        if header.hasPrefix("Basic "), let data = Data(base64Encoded: String(header.dropFirst(6))),
            let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        {
            return [
                [
                    "type": "InfrastructureManager", "username": String(pair[..<colon]),
                    "password": String(pair[pair.index(after: colon)...]),
                ]
            ]
        }
        let text = header.replacingOccurrences(of: "\\\\n", with: "\n")
        var result: [[String: String]] = []
        for rawLine in text.components(separatedBy: "\\n") {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            var entry: [String: String] = [:]
            for token in split(line, ";") {
                let pair = split(token, "=")
                guard pair.count == 2 else { break }
                let key = pair[0].trimmingCharacters(in: .whitespaces)
                var value = pair[1].trimmingCharacters(in: .whitespaces)
                if value.count >= 2, let first = value.first, first == "'" || first == "\"", value.last == first {
                    value = String(value.dropFirst().dropLast())
                }
                guard !key.isEmpty else { continue }
                entry[key] = value.replacingOccurrences(of: "\\n", with: "\n")
            }
            if !entry.isEmpty { result.append(entry) }
        }
        return result
    }

    /// Splits on `separator` outside single or double quotes (quotes are kept).
    static func split(_ line: String, _ separator: Character) -> [String] {
        var tokens: [String] = []
        var token = ""
        var single = false
        var double = false
        for char in line {
            if char == "\"" && !single { double.toggle() } else if char == "'" && !double { single.toggle() }
            if char == separator && !single && !double {
                tokens.append(token)
                token = ""
            } else {
                token.append(char)
            }
        }
        if !token.trimmingCharacters(in: .whitespaces).isEmpty { tokens.append(token) }
        return tokens
    }

    /// Authenticates a header against `users` (user → password or `sha256:salt:hex`); with no users configured any
    /// username/password pair is accepted. Throws ``IMFailure`` 401 when it cannot.
    static func authenticate(_ header: String?, users: [String: String]) throws -> IMCaller {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw IMFailure(401, "No authentication data provided")
        }
        if header.hasPrefix("Bearer ") {
            throw IMFailure(
                401, "Token (OIDC) authentication is not supported by this server; use username and password")
        }
        let all = entries(header)
        guard let im = all.first(where: { $0["type"] == "InfrastructureManager" }) else {
            throw IMFailure(401, "Invalid authentication data: no InfrastructureManager entry")
        }
        guard let user = im["username"], !user.isEmpty, let password = im["password"] else {
            throw IMFailure(
                401, "Invalid authentication data: the InfrastructureManager entry needs username and password")
        }
        if !users.isEmpty {
            guard let expected = users[user], matches(expected, password) else {
                throw IMFailure(401, "Invalid InfrastructureManager credentials")
            }
        }
        let cloud = all.first { ($0["type"] ?? "").lowercased() == "vmgate" }
        return IMCaller(
            user: user, password: password, backend: cloud?["backend"], group: cloud?["group"],
            isAdmin: AccessControl.principal?.isAdmin ?? false)
    }

    /// Parses the `users` option: `user1:pass1,user2:sha256:salt:hexdigest`.
    static func users(_ option: String?) -> [String: String] {
        var users: [String: String] = [:]
        for pair in (option ?? "").split(separator: ",") {
            guard let colon = pair.firstIndex(of: ":") else { continue }
            let name = pair[..<colon].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { users[name] = String(pair[pair.index(after: colon)...]) }
        }
        return users
    }

    /// The users of a parsed `users` option whose password is configured in plaintext (deprecated), sorted.
    static func plaintextUsers(_ users: [String: String]) -> [String] {
        users.filter { !isDigest($0.value) }.keys.sorted()
    }

    /// Whether a configured secret is the `sha256:<salt>:<hex>` form.
    static func isDigest(_ configured: String) -> Bool {
        let parts = configured.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "sha256"
    }

    /// A configured secret is a plain password or `sha256:<salt>:<hex of sha256(salt + password)>`.
    static func matches(_ configured: String, _ password: String) -> Bool {
        let parts = configured.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "sha256" {
            return PasswordDigest.matches(password: password, salt: String(parts[1]), expected: String(parts[2]))
        }
        return PasswordDigest.constantTimeEqual(configured, password)
    }
}
