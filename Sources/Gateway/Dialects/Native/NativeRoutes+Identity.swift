import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

/// Wire shapes of the identity routes.
struct NativeIdentity: Codable, Sendable {
    var user: String
    var role: String
    var groups: [String]
    var quota: Quota?
    var usage: NativeUsage
}

/// What a user holds (memory in MiB, disk in GiB, rounded down).
struct NativeUsage: Codable, Sendable {
    var machines: Int
    var vcpus: Int
    var memoryMiB: Int
    var diskGiB: Int
}

/// An API token of the caller.
struct NativeToken: Codable, Sendable {
    var token: String
    var user: String
    var createdAt: Date
    var lastUsedAt: Date?
}

/// One audit record.
struct NativeAuditRecord: Codable, Sendable {
    var at: Date
    var user: String
    var dialect: String
    var method: String
    var path: String
    var status: Int
}

extension NativeDialect {
    func addIdentityRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/users/me") { _, context in
            let principal = try Self.caller(context)
            let usage = await fleet.usage(of: principal)
            return try JSONWire.response(
                NativeIdentity(
                    user: principal.user, role: principal.role.rawValue, groups: principal.groups.sorted(),
                    quota: fleet.users.quota(ofUser: principal.user),
                    usage: NativeUsage(
                        machines: usage.machines, vcpus: usage.vcpus, memoryMiB: usage.memoryKiB / 1024,
                        diskGiB: usage.diskBytes >> 30)))
        }
        routes.get("/tokens") { _, context in
            let principal = try Self.caller(context)
            return try JSONWire.response(try await fleet.store.tokens(ofUser: principal.user).map(Self.wire))
        }
        routes.post("/tokens") { _, context in
            let principal = try Self.caller(context)
            let token = Token(value: NameGenerator.random(32), user: principal.user)
            try await fleet.store.saveToken(token)
            return try JSONWire.response(Self.wire(token), status: .created)
        }
        routes.delete("/tokens/:token") { _, context in
            let principal = try Self.caller(context)
            let value = try context.parameters.require("token")
            guard let token = try await fleet.store.token(value), token.user == principal.user else {
                throw SpecError.notFound("no token '\(value.prefix(64))'")
            }
            try await fleet.revokeToken(value)
            return Response(status: .noContent)
        }
        routes.get("/audit") { request, _ in
            let query = request.uri.queryParameters
            let from = try query["since"].map { try Self.date(String($0), "since") } ?? .distantPast
            let to = try query["until"].map { try Self.date(String($0), "until") } ?? .distantFuture
            let limit = try query["limit"].map { try Self.nonNegative(String($0), "limit") } ?? 1000
            let events = try await fleet.store.history(kind: AuditLog.kind, from: from, to: to)
            let records = events.suffix(limit).map { event in
                NativeAuditRecord(
                    at: event.at, user: event.attributes["user"] ?? "", dialect: event.attributes["dialect"] ?? "",
                    method: event.attributes["method"] ?? "", path: event.subject,
                    status: Int(event.attributes["status"] ?? "") ?? 0)
            }
            return try JSONWire.response(Array(records))
        }
    }

    /// The authenticated caller; 401 when the request carries no credential.
    static func caller(_ context: GatewayContext) throws -> Principal {
        guard let principal = context.identity else {
            throw RequestGuard.unauthorized("this route needs a user: authenticate with HTTP Basic or a bearer token")
        }
        return principal
    }

    static func wire(_ token: Token) -> NativeToken {
        NativeToken(token: token.value, user: token.user, createdAt: token.createdAt, lastUsedAt: token.lastUsedAt)
    }

    /// The latest epoch second a time filter takes (year 5138).
    static let maxEpochSeconds = 99_999_999_999

    /// Whole epoch seconds (0…``maxEpochSeconds``) or an ISO-8601 date-time from a query parameter.
    static func date(_ raw: String, _ name: String) throws -> Date {
        if let seconds = Int(raw), (0...maxEpochSeconds).contains(seconds) {
            return Date(timeIntervalSince1970: Double(seconds))
        }
        if let date = try? Date(raw, strategy: .iso8601) { return date }
        throw SpecError.invalid(
            "'\(name)' must be whole epoch seconds (0...\(maxEpochSeconds)) or an ISO-8601 date-time")
    }
}
