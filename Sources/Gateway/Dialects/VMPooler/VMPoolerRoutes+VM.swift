import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension VMPoolerDialect {
    func addVMRoutes(to routes: RouteCollection<GatewayContext>, base: String, version: Version) {
        routes.get("\(base)/vm") { _, _ in
            try JSONWire.response(VMPoolerJSON.array(manager.pools.map { .string($0.name) }))
        }
        routes.post("\(base)/vm") { request, context in
            guard let body = try await Self.jsonObject(request, context), !body.isEmpty else {
                throw VMPoolerError.badRequest("expected a JSON object of pool names and counts")
            }
            var counts: [(name: String, count: Int)] = []
            for name in body.keys.sorted() {
                let raw = body[name]
                guard let count = (raw as? String).flatMap({ Int($0) }) ?? (raw as? Int), count > 0, count <= 100 else {
                    throw VMPoolerError.badRequest("count for '\(name)' must be a whole number from 1 to 100")
                }
                counts.append((name, count))
            }
            return try await checkout(counts, request: request, version: version)
        }
        routes.post("\(base)/vm/:hostname") { request, context in
            let names = try context.parameters.require("hostname").split(separator: "+").map(String.init)
            var counts: [(name: String, count: Int)] = []
            for name in names {
                if let index = counts.firstIndex(where: { $0.name == name }) {
                    counts[index].count += 1
                } else {
                    counts.append((name, 1))
                }
            }
            guard !counts.isEmpty, counts.allSatisfy({ $0.count <= 100 }) else {
                throw VMPoolerError.badRequest("name from 1 to 100 VMs per pool")
            }
            return try await checkout(counts, request: request, version: version)
        }
        routes.get("\(base)/vm/:hostname") { _, context in
            let hostname = PoolManager.shorten(try context.parameters.require("hostname"))
            guard let vm = manager.vm(hostname) else { throw VMPoolerError.notFound("no VM named '\(hostname)'") }
            return try JSONWire.response(VMPoolerJSON.object(["ok": true, hostname: describe(vm)]))
        }
        routes.put("\(base)/vm/:hostname") { request, context in
            try await modify(try context.parameters.require("hostname"), request: request, context: context)
        }
        routes.delete("\(base)/vm/:hostname") { request, context in
            let hostname = PoolManager.shorten(try context.parameters.require("hostname"))
            guard let vm = manager.vm(hostname), vm.state != .destroyed else {
                throw VMPoolerError.notFound("no VM named '\(hostname)'")
            }
            try await authorize(request, for: vm)
            guard await manager.release(hostname) else {
                throw VMPoolerError.notFound("VM '\(hostname)' is not checked out")
            }
            return try JSONWire.response(["ok": true] as VMPoolerJSON)
        }
    }

    private func checkout(_ counts: [(name: String, count: Int)], request: Request, version: Version) async throws
        -> Response
    {
        let requester = try await requester(request)
        let taken: [(name: String, vm: PoolVM)]
        do { taken = try await manager.checkout(counts, requester: requester) } catch {
            switch error {
            case .unknown(let names):
                throw VMPoolerError.notFound("unknown pool(s): \(names.joined(separator: ", "))")
            case .exhausted(let name):
                throw VMPoolerError(.serviceUnavailable, "not enough ready VMs in '\(name)'; none were checked out")
            }
        }
        var body: [String: VMPoolerJSON] = ["ok": true]
        for (name, hosts) in Dictionary(grouping: taken, by: \.name) {
            let names = hosts.map { entry -> VMPoolerJSON in
                guard version == .v3, let domain = settings.domain else { return .string(entry.vm.hostname) }
                return .string("\(entry.vm.hostname).\(domain)")
            }
            body[name] = ["hostname": names.count == 1 ? names[0] : .array(names)]
        }
        if version == .v1, let domain = settings.domain { body["domain"] = .string(domain) }
        return try JSONWire.response(VMPoolerJSON.object(body))
    }

    /// The `GET /vm/<hostname>` view of a VM.
    func describe(_ vm: PoolVM) -> VMPoolerJSON {
        let now = Date()
        let lifetime = vm.lifetimeHours ?? settings.vmLifetime
        var out: [String: VMPoolerJSON] = [
            "template": .string(vm.template),
            "pool": .string(vm.pool),
            "lifetime": lifetime == lifetime.rounded() ? .int(Int(lifetime)) : .double(lifetime),
            "tags": .object(vm.tags.mapValues { .string($0) }),
            "ip": .string(vm.ip ?? ""),
        ]
        switch vm.state {
        case .pending, .booting: out["state"] = "pending"
        case .ready: out["state"] = "ready"
        case .running: out["state"] = "running"
        case .completed, .destroyed: out["state"] = "destroyed"
        }
        if let checkout = vm.checkoutAt {
            let end = vm.state == .running ? now : (vm.destroyedAt ?? now)
            out["running"] = .rounded(end.timeIntervalSince(checkout) / 3600)
            let expiry = checkout.addingTimeInterval(lifetime * 3600)
            if vm.state == .running { out["remaining"] = .rounded(max(0, expiry.timeIntervalSince(now)) / 3600) }
            out["start_time"] = .string(Self.rfc3339(checkout))
            out["end_time"] = .string(Self.rfc3339(expiry))
        }
        if let domain = settings.domain {
            out["domain"] = .string(domain)
            out["fqdn"] = .string("\(vm.hostname).\(domain)")
        }
        if !vm.snapshots.isEmpty { out["snapshots"] = .array(vm.snapshots.map { .string($0) }) }
        if !vm.disks.isEmpty { out["disk"] = .array(vm.disks.map { .string($0) }) }
        return .object(out)
    }

    static func rfc3339(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon))
    }

    /// Decodes a JSON object body; nil when the body is empty.
    static func jsonObject(_ request: Request, _ context: GatewayContext) async throws -> [String: Any]? {
        let buffer = try await BodyLimit.collect(request, limit: BodyLimit.json)
        let data = Data(buffer: buffer)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        try JSONWire.requireJSON(request)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw VMPoolerError.badRequest("request body must be a JSON object")
        }
        return object
    }
}
