import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension VMPoolerDialect {
    /// `PUT /vm/<hostname>`: validates every parameter first, then applies them all.
    func modify(_ name: String, request: Request, context: GatewayContext) async throws -> Response {
        let hostname = PoolManager.shorten(name)
        guard let vm = manager.vm(hostname), vm.state != .destroyed, vm.state != .completed else {
            throw VMPoolerError.notFound("no VM named '\(hostname)'")
        }
        try await authorize(request, for: vm)
        guard let body = try await Self.jsonObject(request, context) else {
            throw VMPoolerError.badRequest("expected a JSON object with 'lifetime' and/or 'tags'")
        }
        var failures: [String] = []
        var lifetime: Double?
        var tags: [String: String]?
        for key in body.keys.sorted() {
            switch key {
            case "lifetime":
                let raw = body[key]
                let value = (raw as? String).flatMap(Int.init) ?? (raw as? Int)
                guard let value, value > 0 else {
                    failures.append(
                        "You provided a lifetime (\(raw.map { "\($0)" } ?? "null")) but you must provide a positive number."
                    )
                    continue
                }
                guard Double(value) <= settings.maxLifetime else {
                    failures.append(
                        "You provided a lifetime (\(value)) that exceeds the configured maximum of \(Self.number(settings.maxLifetime))."
                    )
                    continue
                }
                lifetime = Double(value)
            case "tags":
                guard let object = body[key] as? [String: Any], let parsed = Self.tagValues(object) else {
                    failures.append(
                        "You provided tags as something other than a hash of strings of printable characters (at most \(TextRules.maxTags) tags, names up to \(TextRules.maxTagKey) and values up to \(TextRules.maxTagValue) characters)."
                    )
                    continue
                }
                tags = parsed
            default:
                failures.append("Unknown argument \(key).")
            }
        }
        guard failures.isEmpty else {
            throw VMPoolerError(
                .badRequest, failures.joined(separator: " "), extra: ["failure": .array(failures.map { .string($0) })])
        }
        manager.modify(hostname) { vm in
            if let lifetime { vm.lifetimeHours = lifetime }
            if let tags { vm.tags.merge(tags) { _, new in new } }
        }
        await manager.persist(hostname)
        if let tags, !tags.isEmpty {
            try? await fleet.store.record(
                HistoryEvent(
                    kind: Self.tagEvent, subject: hostname,
                    attributes: tags.merging(["group": vm.pool]) { tag, _ in tag }))
        }
        return try JSONWire.response(["ok": true] as VMPoolerJSON)
    }

    /// History kind of tag assignments (for `/summary`).
    static let tagEvent = "vmpooler.tags"

    /// Tag values must be strings (numbers and booleans are accepted as their text); keys non-empty.
    static func tagValues(_ object: [String: Any]) -> [String: String]? {
        var tags: [String: String] = [:]
        for (key, value) in object {
            guard !key.isEmpty, key.count <= 128 else { return nil }
            switch value {
            case let string as String: tags[key] = string
            case let number as NSNumber: tags[key] = number.stringValue
            default: return nil
            }
        }
        return (try? TextRules.validate(tags: tags)) == nil ? nil : tags
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    // MARK: Tokens on requests

    /// The caller behind `X-AUTH-TOKEN`; nil without auth or without the header; 401 for an
    /// unknown token, or one revoked while this request was using it.
    ///
    /// Marks the token used (`last`) with an update-only write, so a revocation racing this
    /// request is never undone.
    func requester(_ request: Request) async throws -> Requester? {
        guard auth.isEnabled, let value = request.headers[Self.tokenHeader] else { return nil }
        guard let token = try await fleet.store.token(value),
            try await fleet.store.touchToken(token.value, at: Date())
        else {
            throw VMPoolerError.unauthorized("invalid token")
        }
        return Requester(token: token.value, user: token.user)
    }

    /// A valid token, when auth is configured (vmpooler's `need_token!`): 401 otherwise.
    func requireToken(_ request: Request) async throws -> Requester? {
        guard auth.isEnabled else { return nil }
        guard let requester = try await requester(request) else {
            throw VMPoolerError.unauthorized("this route needs a token in X-AUTH-TOKEN")
        }
        return requester
    }

    /// With auth configured, a valid token is required, and a VM checked out by a user can be
    /// touched only with a token of that same user (any of their tokens, so revoking the one it
    /// was checked out with does not lock the owner out). Another user's token gets 401, the
    /// answer vmpooler gives when a request's token does not pass (`need_token!`).
    func authorize(_ request: Request, for vm: PoolVM) async throws {
        guard let requester = try await requireToken(request) else { return }
        if let owner = vm.user {
            guard owner == requester.user else {
                throw VMPoolerError.unauthorized("VM '\(vm.hostname)' belongs to another user")
            }
        } else if let digest = vm.tokenDigest, digest != PoolVM.digest(requester.token) {
            // Checked out with a token before owners were recorded: only that token.
            throw VMPoolerError.unauthorized("VM '\(vm.hostname)' belongs to another token")
        }
    }

    static let tokenHeader = HTTPField.Name("X-AUTH-TOKEN")!
}
