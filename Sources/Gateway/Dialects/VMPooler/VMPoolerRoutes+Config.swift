import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension VMPoolerDialect {
    /// vmpooler's run-time pool configuration: `/config`, `/config/poolsize`, `/config/pooltemplate`
    /// and `/poolreset`. The changing routes answer 405 unless `experimentalFeatures` is on (as
    /// vmpooler's `experimental_features`), and then need a token when auth is configured.
    func addConfigRoutes(to routes: RouteCollection<GatewayContext>, base: String) {
        routes.get("\(base)/config") { _, _ in
            let pools = manager.pools.map { pool -> VMPoolerJSON in
                var entry: [String: VMPoolerJSON] = ["name": .string(pool.name), "size": .int(pool.size)]
                if let template = pool.template { entry["template"] = .string(template) }
                if !pool.group.aliases.isEmpty { entry["alias"] = .array(pool.group.aliases.map { .string($0) }) }
                return .object(entry)
            }
            var config: [String: VMPoolerJSON] = [
                "vm_lifetime": .double(settings.vmLifetime), "vm_lifetime_auth": .double(settings.vmLifetimeAuth),
                "max_lifetime_upper_limit": .double(settings.maxLifetime),
            ]
            if let domain = settings.domain { config["domain"] = .string(domain) }
            return try JSONWire.response(
                VMPoolerJSON.object(["ok": true, "pool_configuration": .array(pools), "config": .object(config)]))
        }
        routes.post("\(base)/config/poolsize") { request, context in
            try await requireExperimental(request, context)
            let body = try await payload(request, context)
            var sizes: [String: Int] = [:]
            var invalid: [String] = []
            for (name, raw) in body {
                let size = (raw as? String).flatMap(Int.init) ?? (raw as? Int)
                if manager.pools.contains(where: { $0.name == name }), let size, (0...1000).contains(size) {
                    sizes[name] = size
                } else {
                    invalid.append(name)
                }
            }
            guard invalid.isEmpty else {
                throw VMPoolerError(
                    .badRequest, "unknown pools or bad sizes", extra: ["not_configured": Self.strings(invalid)])
            }
            let changed = await manager.override(sizes: sizes)
            return try JSONWire.response(["ok": true] as VMPoolerJSON, status: changed ? .created : .ok)
        }
        routes.delete("\(base)/config/poolsize/:pool") { request, context in
            try await requireExperimental(request, context)
            let name = try context.parameters.require("pool")
            guard let pool = manager.pools.first(where: { $0.name == name }) else {
                throw VMPoolerError.notFound("no pool '\(name)'")
            }
            let changed = await manager.resetSize(name)
            let original = fleet.groups.group(name)?.size ?? pool.size
            return try JSONWire.response(
                VMPoolerJSON.object([
                    "ok": true, "pool_size_before_reset": .int(pool.size), "pool_size_before_overrides": .int(original),
                ]), status: changed ? .created : .ok)
        }
        routes.post("\(base)/config/pooltemplate") { request, context in
            try await requireExperimental(request, context)
            let body = try await payload(request, context)
            var templates: [String: String] = [:]
            var invalid: [String] = []
            for (name, raw) in body {
                if manager.pools.contains(where: { $0.name == name }), let template = raw as? String,
                    (try? await fleet.store.template(named: template)) != nil
                {
                    templates[name] = template
                } else {
                    invalid.append(name)
                }
            }
            guard invalid.isEmpty else {
                throw VMPoolerError(
                    .badRequest, "unknown pools or templates", extra: ["bad_templates": Self.strings(invalid)])
            }
            let changed = await manager.override(templates: templates)
            return try JSONWire.response(["ok": true] as VMPoolerJSON, status: changed ? .created : .ok)
        }
        routes.delete("\(base)/config/pooltemplate/:pool") { request, context in
            try await requireExperimental(request, context)
            let name = try context.parameters.require("pool")
            guard let pool = manager.pools.first(where: { $0.name == name }) else {
                throw VMPoolerError.notFound("no pool '\(name)'")
            }
            let changed = await manager.resetTemplate(name)
            var body: [String: VMPoolerJSON] = ["ok": true]
            body["template_before_reset"] = pool.template.map { .string($0) } ?? .null
            body["template_before_overrides"] = fleet.groups.group(name)?.template.map { .string($0) } ?? .null
            return try JSONWire.response(VMPoolerJSON.object(body), status: changed ? .created : .ok)
        }
        routes.post("\(base)/poolreset") { request, context in
            try await requireExperimental(request, context)
            let body = try await payload(request, context)
            let invalid = body.keys.filter { name in !manager.pools.contains { $0.name == name } }.sorted()
            guard invalid.isEmpty else {
                throw VMPoolerError(.badRequest, "unknown pools", extra: ["bad_pools": Self.strings(invalid)])
            }
            for name in body.keys { manager.resetPool(name) }
            return try JSONWire.response(["ok": true] as VMPoolerJSON, status: .created)
        }
    }

    /// vmpooler's gate for pool-changing routes: 405 `{"ok": false}` while `experimentalFeatures`
    /// is off; with it on, a valid token when auth is configured (401 otherwise), of an
    /// administrator when the gateway has a user directory (403 otherwise).
    private func requireExperimental(_ request: Request, _ context: GatewayContext) async throws {
        guard settings.experimentalFeatures else {
            throw VMPoolerError(
                .methodNotAllowed, "this route changes pools at run time; enable the 'experimentalFeatures' option")
        }
        _ = try await requireToken(request)
        if let principal = context.identity, !principal.isAdmin {
            throw SpecError.forbidden("only administrators change pools at run time")
        }
    }

    private func payload(_ request: Request, _ context: GatewayContext) async throws -> [String: Any] {
        guard let body = try await Self.jsonObject(request, context), !body.isEmpty else {
            throw VMPoolerError.badRequest("expected a JSON object keyed by pool name")
        }
        return body
    }

    static func strings(_ values: [String]) -> VMPoolerJSON { .array(values.sorted().map { .string($0) }) }
}
