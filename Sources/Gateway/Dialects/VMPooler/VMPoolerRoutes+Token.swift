import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension VMPoolerDialect {
    /// `/token` routes: HTTP basic auth against the configured users; 404 when auth is off.
    ///
    /// As in vmpooler, `GET /token/<t>` needs no basic auth (the token is the secret; vmfloaty's
    /// `token status` and `list --active` send none); revoking needs the owner's basic auth.
    func addTokenRoutes(to routes: RouteCollection<GatewayContext>, base: String) {
        routes.get("\(base)/token") { request, _ in
            let user = try await basicUser(request)
            var body: [String: VMPoolerJSON] = ["ok": true]
            for token in try await fleet.store.tokens(ofUser: user) {
                var entry: [String: VMPoolerJSON] = ["created": .string(Self.rubyTime(token.createdAt))]
                if let last = token.lastUsedAt { entry["last"] = .string(Self.rubyTime(last)) }
                body[token.value] = .object(entry)
            }
            return try JSONWire.response(VMPoolerJSON.object(body))
        }
        routes.post("\(base)/token") { request, _ in
            let user = try await basicUser(request)
            let token = Token(value: NameGenerator.random(32), user: user)
            try await fleet.store.saveToken(token)
            return try JSONWire.response(VMPoolerJSON.object(["ok": true, "token": .string(token.value)]))
        }
        routes.get("\(base)/token/:token") { _, context in
            let value = try context.parameters.require("token")
            guard auth.isEnabled else { throw VMPoolerError.notFound("authentication is not configured") }
            guard let token = try await fleet.store.token(value) else {
                throw VMPoolerError.notFound("no token '\(value)'")
            }
            var entry: [String: VMPoolerJSON] = [
                "user": .string(token.user), "created": .string(Self.rubyTime(token.createdAt)),
                "timestamp": .string(Self.rubyTime(token.createdAt)),
            ]
            if let last = token.lastUsedAt { entry["last"] = .string(Self.rubyTime(last)) }
            let digest = PoolVM.digest(token.value)
            let vms = manager.vms.filter { $0.tokenDigest == digest && $0.state == .running }.map(\.hostname).sorted()
            if !vms.isEmpty { entry["vms"] = ["running": .array(vms.map { .string($0) })] }
            return try JSONWire.response(VMPoolerJSON.object(["ok": true, token.value: .object(entry)]))
        }
        routes.delete("\(base)/token/:token") { request, context in
            let token = try await ownToken(try context.parameters.require("token"), request)
            try await fleet.revokeToken(token.value)
            return try JSONWire.response(["ok": true] as VMPoolerJSON)
        }
    }

    /// A token of the authenticated caller; someone else's token is reported as missing (vmpooler
    /// lets any authenticated user revoke any token; here only its owner can).
    private func ownToken(_ value: String, _ request: Request) async throws -> Token {
        let user = try await basicUser(request)
        guard let token = try await fleet.store.token(value), token.user == user else {
            throw VMPoolerError.notFound("no token '\(value)'")
        }
        return token
    }

    /// The user of a valid `Authorization: Basic` header; 404 when auth is off, 401 otherwise.
    func basicUser(_ request: Request) async throws -> String {
        guard auth.isEnabled else { throw VMPoolerError.notFound("authentication is not configured") }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { throw VMPoolerError.unauthorized("HTTP basic authentication required") }
        let user = String(text[..<colon])
        let password = String(text[text.index(after: colon)...])
        guard await auth.authenticate(user: user, password: password) else {
            throw VMPoolerError.unauthorized("wrong user name or password")
        }
        return user
    }

    /// Ruby's `Time#to_s`: `2015-04-28 19:17:47 +0000`.
    static func rubyTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
