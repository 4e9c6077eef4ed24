import Foundation
import GatewayCore

/// A `/ondemandvm` request: VMs cloned for one caller instead of taken from the ready stock.
struct OnDemandRequest: Sendable, Codable, Hashable {
    /// Where a request is.
    enum Status: String, Sendable, Codable {
        case pending, ready, failed, deleted
    }

    /// One requested platform: the name the caller used, the pool serving it, how many.
    struct Item: Sendable, Codable, Hashable {
        var name: String
        var pool: String
        var count: Int
    }

    var id: String
    var items: [Item]
    var status: Status
    var createdAt: Date
    /// The token in clear, as requests saved by earlier versions kept it (read only).
    var token: String?
    /// SHA-256 (hex) of the caller's token.
    var tokenDigest: String?
    /// The caller, who owns the request and its VMs.
    var user: String?
    /// Why the request failed before its TTL (a quota), when it did.
    var failure: String?
    var lifetimeHours: Double
}

extension PoolManager {
    static let onDemandNamespace = "vmpooler.ondemand"

    /// Loads requests saved by an earlier run.
    func loadOnDemand() async {
        guard let stored = try? await fleet.store.values(namespace: Self.onDemandNamespace) else { return }
        let decoded = stored.values.compactMap { try? JSONDecoder().decode(OnDemandRequest.self, from: $0) }
        table.withLock { table in for request in decoded { table.requests[request.id] = request } }
    }

    func save(_ request: OnDemandRequest) async {
        do {
            try await fleet.store.setValue(
                try JSONEncoder().encode(request), namespace: Self.onDemandNamespace, key: request.id)
        } catch {
            logger.warning(
                "could not save on-demand request", metadata: ["request": "\(request.id)", "error": "\(error)"])
        }
    }

    /// Registers a request; its VMs are cloned by the next pass. `false` when the id is taken.
    func submit(_ request: OnDemandRequest) async -> Bool {
        let inserted = table.withLock { table -> Bool in
            guard table.requests[request.id] == nil else { return false }
            table.requests[request.id] = request
            return true
        }
        if inserted { await save(request) }
        return inserted
    }

    /// A request and the hostnames of its VMs that are up, per item name.
    func onDemand(_ id: String) -> (request: OnDemandRequest, ready: [String: [String]])? {
        table.withLock { table in
            guard let request = table.requests[id] else { return nil }
            var ready: [String: [String]] = [:]
            let vms = table.vms.values.filter { $0.request == id && $0.state == .running }.sorted {
                $0.hostname < $1.hostname
            }
            var used = Set<String>()
            for item in request.items {
                let mine = vms.filter { $0.pool == item.pool && !used.contains($0.hostname) }.prefix(item.count)
                used.formUnion(mine.map(\.hostname))
                ready[item.name, default: []] += mine.map(\.hostname)
            }
            return (request, ready)
        }
    }

    /// Deletes a request and schedules its VMs for destruction; false when unknown.
    func deleteOnDemand(_ id: String) async -> Bool {
        let now = Date()
        let request = table.withLock { table -> OnDemandRequest? in
            guard var request = table.requests[id] else { return nil }
            request.status = .deleted
            table.requests[id] = request
            for (hostname, vm) in table.vms where vm.request == id && vm.state != .destroyed && vm.state != .completed {
                table.retire(hostname, at: now)
            }
            return request
        }
        guard let request else { return false }
        await save(request)
        return true
    }

    /// Clones still missing for pending requests (called under the lock by ``refill``).
    func onDemandClones(_ table: inout PoolTable, templates: [String: String], taken: Set<String>) -> [(PoolVM, String)]
    {
        var clones: [(PoolVM, String)] = []
        for request in table.requests.values where request.status == .pending {
            for item in request.items {
                guard let template = templates[item.pool] else { continue }
                let have = table.vms.values.filter {
                    $0.request == request.id && $0.pool == item.pool
                        && ($0.state == .pending || $0.state == .booting || $0.state == .running)
                }.count
                let pendingOthers = request.items.filter { $0.pool == item.pool && $0.name != item.name }.reduce(0) {
                    $0 + $1.count
                }
                let wanted = item.count + pendingOthers
                guard have < wanted else { continue }
                for _ in 0..<(wanted - have) {
                    var hostname = NameGenerator.random(15)
                    while table[hostname] != nil || taken.contains(hostname) { hostname = NameGenerator.random(15) }
                    var vm = PoolVM(hostname: hostname, pool: item.pool, template: template)
                    vm.request = request.id
                    vm.tokenDigest = request.tokenDigest ?? request.token.map(PoolVM.digest)
                    vm.user = request.user
                    vm.lifetimeHours = request.lifetimeHours
                    if let user = request.user { vm.tags["user"] = user }
                    table.set(hostname, vm)
                    table.busy.insert(hostname)
                    clones.append((vm, template))
                }
            }
        }
        return clones
    }

    /// Fails a pending request at once (its user's quota refused a clone): its VMs are retired.
    func failOnDemand(_ id: String, reason: String) async {
        let now = Date()
        let failed = table.withLock { table -> OnDemandRequest? in
            guard var request = table.requests[id], request.status == .pending else { return nil }
            request.status = .failed
            request.failure = reason
            table.requests[id] = request
            for (hostname, vm) in table.vms where vm.request == id && vm.state != .destroyed {
                table.retire(hostname, at: now)
            }
            return request
        }
        if let failed { await save(failed) }
    }

    /// Marks complete requests ready and fails those past `onDemandTTL`.
    func expireOnDemand() async {
        let now = Date()
        let changed = table.withLock { table -> [OnDemandRequest] in
            var changed: [OnDemandRequest] = []
            for (id, request) in table.requests where request.status == .pending {
                let running = table.vms.values.filter { $0.request == id && $0.state == .running }
                let complete = request.items.allSatisfy { item in
                    running.filter { $0.pool == item.pool }.count
                        >= request.items.filter { $0.pool == item.pool }.reduce(0) { $0 + $1.count }
                }
                var updated = request
                if complete {
                    updated.status = .ready
                } else if now.timeIntervalSince(request.createdAt) > settings.onDemandTTL {
                    updated.status = .failed
                    for (hostname, vm) in table.vms where vm.request == id && vm.state != .destroyed {
                        table.retire(hostname, at: now)
                    }
                } else {
                    continue
                }
                table.requests[id] = updated
                changed.append(updated)
            }
            return changed
        }
        for request in changed { await save(request) }
    }
}
