import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension VMPoolerDialect {
    /// `/ondemandvm`: VMs cloned for the caller; poll the request until it is ready. With auth
    /// configured, creating and deleting need a token (vmpooler's `need_token!`); the request and
    /// its VMs belong to the token's user.
    func addOnDemandRoutes(to routes: RouteCollection<GatewayContext>, base: String, version: Version) {
        routes.post("\(base)/ondemandvm") { request, context in
            let requester = try await requireToken(request)
            guard var body = try await Self.jsonObject(request, context) else {
                throw VMPoolerError.badRequest("expected a JSON object of pool names and counts")
            }
            let id = (body.removeValue(forKey: "request_id") as? String) ?? UUID().uuidString.lowercased()
            guard !id.isEmpty, id.count <= 64 else { throw VMPoolerError.badRequest("bad request_id") }
            var items: [OnDemandRequest.Item] = []
            var unknown: [String] = []
            for name in body.keys.sorted() {
                let raw = body[name]
                guard let count = (raw as? String).flatMap({ Int($0) }) ?? (raw as? Int), count > 0 else {
                    throw VMPoolerError.badRequest("count for '\(name)' must be a positive whole number")
                }
                // Checked one by one as well, so the total below cannot overflow.
                guard count <= settings.maxOnDemand else { throw tooMany(count) }
                guard let pool = manager.pools(answering: name).first else {
                    unknown.append(name)
                    continue
                }
                items.append(.init(name: name, pool: pool, count: count))
            }
            guard unknown.isEmpty else {
                throw VMPoolerError(
                    .notFound, "unknown pool(s): \(unknown.joined(separator: ", "))",
                    extra: ["bad_templates": Self.strings(unknown)])
            }
            guard !items.isEmpty else { throw VMPoolerError.badRequest("request at least one VM") }
            let total = items.reduce(0) { $0 + $1.count }
            guard total <= settings.maxOnDemand else { throw tooMany(total) }
            let record = OnDemandRequest(
                id: id, items: items, status: .pending, createdAt: Date(),
                tokenDigest: requester.map { PoolVM.digest($0.token) }, user: requester?.user,
                lifetimeHours: requester == nil ? settings.vmLifetime : settings.vmLifetimeAuth)
            guard await manager.submit(record) else { throw VMPoolerError(.conflict, "request '\(id)' already exists") }
            var answer: [String: VMPoolerJSON] = ["ok": true, "request_id": .string(id)]
            if let domain = settings.domain { answer["domain"] = .string(domain) }
            return try JSONWire.response(VMPoolerJSON.object(answer), status: .created)
        }
        routes.get("\(base)/ondemandvm/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let (record, ready) = manager.onDemand(id) else {
                throw VMPoolerError.notFound("no request found for request_id '\(id)'")
            }
            var answer: [String: VMPoolerJSON] = [
                "ok": true, "request_id": .string(id), "ready": .bool(record.status == .ready),
            ]
            switch record.status {
            case .ready:
                for (name, hosts) in ready {
                    answer[name] = ["hostname": .array(hosts.map { .string(fqdn($0, version: version)) })]
                }
                if version == .v1, let domain = settings.domain { answer["domain"] = .string(domain) }
                return try JSONWire.response(VMPoolerJSON.object(answer))
            case .failed:
                answer["message"] = .string(
                    record.failure.map { "The request failed: \($0)" }
                        ?? "The request failed to provision instances within the configured ondemand request TTL of \(Self.number(settings.onDemandTTL)) seconds"
                )
                return try JSONWire.response(VMPoolerJSON.object(answer))
            case .deleted:
                answer["message"] = "The request has been deleted"
                return try JSONWire.response(VMPoolerJSON.object(answer))
            case .pending:
                var pending: [String: (ready: Int, pending: Int)] = [:]
                for item in record.items {
                    let up = ready[item.name]?.count ?? 0
                    pending[item.name] = (up, item.count - up)
                }
                for (name, counts) in pending {
                    answer[name] = ["ready": .string("\(counts.ready)"), "pending": .string("\(counts.pending)")]
                }
                return try JSONWire.response(VMPoolerJSON.object(answer), status: .accepted)
            }
        }
        routes.delete("\(base)/ondemandvm/:id") { request, context in
            let id = try context.parameters.require("id")
            if let requester = try await requireToken(request), let owner = manager.onDemand(id)?.request.user,
                owner != requester.user
            {
                // Deleting a request destroys its VMs: the same owner check as for the VMs.
                throw VMPoolerError.unauthorized("request '\(id)' belongs to another user")
            }
            guard await manager.deleteOnDemand(id) else {
                throw VMPoolerError.notFound("no request found for request_id '\(id)'")
            }
            return try JSONWire.response(["ok": true] as VMPoolerJSON)
        }
    }

    /// The hostname as clients of `version` expect it.
    func fqdn(_ hostname: String, version: Version) -> String {
        guard version == .v3, let domain = settings.domain else { return hostname }
        return "\(hostname).\(domain)"
    }

    private func tooMany(_ count: Int) -> VMPoolerError {
        VMPoolerError(.forbidden, "requested \(count) VMs; at most \(settings.maxOnDemand) per request")
    }
}
