import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension CometDialect {
    /// Largest number of VMs a cluster may be created with at once.
    static let maxClusterSize = 200

    func addClusterRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/cluster") { _, _ in
            var list: [CometCluster] = []
            for group in fleet.groups.all where group.options[Self.clusterOption] == "true" && Self.mayReach(group) {
                list.append(wire(group, members: try await members(of: group)))
            }
            return try JSONWire.response(list)
        }
        routes.post("/cluster") { request, context in
            let body = try await JSONWire.decode(CometCreateCluster.self, from: request, context: context)
            let group = try await createCluster(body)
            let wire = wire(group, members: try await members(of: group))
            return try JSONWire.response(wire, status: .created, headers: [.location: wire.href])
        }
        routes.get("/cluster/:name") { _, context in
            let group = try cluster(try context.parameters.require("name"))
            return try JSONWire.response(wire(group, members: try await members(of: group)))
        }
        routes.put("/cluster/:name") { request, context in
            var group = try cluster(try context.parameters.require("name"))
            let body = try await JSONWire.decode(CometUpdateCluster.self, from: request, context: context)
            if let name = body.name, name != group.name { throw SpecError.invalid("a cluster cannot be renamed") }
            if let template = body.template { _ = try await fleet.requireTemplate(template) }
            if let backends = body.backends { try validate(backends: backends) }
            if let size = body.size { try validate(size: size) }
            group.template = body.template ?? group.template
            group.backends = body.backends ?? group.backends
            group.size = body.size ?? group.size
            try await fleet.groups.update(group)
            return try JSONWire.response(wire(group, members: try await members(of: group)))
        }
        routes.delete("/cluster/:name") { request, context in
            let group = try cluster(try context.parameters.require("name"))
            let force = try await forceRequested(request, context: context)
            let members = try await members(of: group)
            let active = members.filter(\.isActive).map(\.name)
            if !active.isEmpty, !force {
                throw SpecError.conflict(
                    "cluster '\(group.name)' has running VMs (\(active.joined(separator: ", "))); stop them or use force"
                )
            }
            let outcome = await forEach(members) { member in
                try await delete(member, force: true)
                return member
            }
            if !outcome.failures.isEmpty { throw failure("delete", group.name, outcome.failures) }
            try await fleet.groups.delete(group.name)
            return Response(status: .noContent)
        }
        routes.post("/cluster/:name/start") { _, context in
            try await clusterAction("start", try context.parameters.require("name")) { member in
                member.state == "running" ? member : try await start(member)
            }
        }
        routes.post("/cluster/:name/stop") { request, context in
            let name = try context.parameters.require("name")
            let options = try await JSONWire.decode(CometStopOptions.self, from: request, context: context)
            let timeout = try Self.timeout(options)
            return try await clusterAction("stop", name) { member in
                member.isReleased ? member : try await stop(member, cluster: name, timeout: timeout)
            }
        }
    }

    private func createCluster(_ body: CometCreateCluster) async throws -> Group {
        let size = body.size ?? 0
        try validate(size: size)
        if let template = body.template { _ = try await fleet.requireTemplate(template) }
        var backends = body.backends ?? body.backend.map { [$0] } ?? Array(fleet.backends.names.prefix(1))
        if let backend = body.backend, body.backends != nil, !backends.contains(backend) {
            backends.insert(backend, at: 0)
        }
        try validate(backends: backends)
        let group = Group(
            name: body.name, backends: backends, template: body.template, size: size, placement: .roundRobin,
            options: [Self.clusterOption: "true"].merging(
                AccessControl.principal.map { ["owner": $0.user] } ?? [:]
            ) { first, _ in first })
        try await fleet.groups.create(group)
        // One after another: concurrent volume builds in one libvirt pool can fail spuriously.
        var created: [Machine] = []
        do {
            for _ in 0..<size { created.append(try await fleet.createMachine(CreateMachineRequest(group: group.name))) }
        } catch {
            for machine in created { try? await fleet.deleteMachine(machine.id) }
            try? await fleet.groups.delete(group.name)
            throw error
        }
        return group
    }

    private func validate(size: Int) throws {
        guard (0...Self.maxClusterSize).contains(size) else {
            throw SpecError.invalid("size must be between 0 and \(Self.maxClusterSize), not \(size)")
        }
    }

    private func validate(backends: [String]) throws {
        guard !backends.isEmpty else { throw SpecError.invalid("a cluster needs at least one backend") }
        for backend in backends {
            do { _ = try fleet.backends.backend(backend) } catch {
                throw SpecError.invalid("unknown backend '\(backend)'")
            }
        }
    }

    static func timeout(_ options: CometStopOptions) throws -> Double {
        let timeout = options.timeout ?? 30
        guard (0...3600).contains(timeout) else {
            throw SpecError.invalid("timeout must be between 0 and 3600 seconds")
        }
        return timeout
    }

    /// Runs `body` on every VM of a cluster concurrently; answers the per-VM states, or an error
    /// listing every VM that failed.
    private func clusterAction(
        _ action: String, _ name: String, _ body: @escaping @Sendable (CometMember) async throws -> CometMember
    ) async throws -> Response {
        let group = try cluster(name)
        let started = ContinuousClock.now
        let outcome = await forEach(try await members(of: group), body)
        if !outcome.failures.isEmpty { throw failure(action, name, outcome.failures) }
        let result = CometClusterActionResult(
            name: name, action: action,
            vms: outcome.results.map { CometVMResult(name: $0.name, state: $0.state) }.sorted { $0.name < $1.name },
            failures: [], seconds: (ContinuousClock.now - started).seconds)
        return try JSONWire.response(result)
    }

    /// Applies `body` to all members concurrently, collecting results and failures.
    func forEach(
        _ members: [CometMember], _ body: @escaping @Sendable (CometMember) async throws -> CometMember
    ) async -> (results: [CometMember], failures: [CometVMFailure]) {
        await withTaskGroup(of: Result<CometMember, CometVMFailure>.self) { tasks in
            for member in members {
                tasks.addTask {
                    do { return .success(try await body(member)) } catch {
                        let (status, spec) = SpecError.classify(error)
                        return .failure(CometVMFailure(name: member.name, code: Int(status.code), reason: spec.message))
                    }
                }
            }
            var results: [CometMember] = []
            var failures: [CometVMFailure] = []
            for await result in tasks {
                switch result {
                case .success(let member): results.append(member)
                case .failure(let failure): failures.append(failure)
                }
            }
            return (results, failures.sorted { $0.name < $1.name })
        }
    }

    /// The error of a cluster action that failed on some VMs: the status of the first failure.
    func failure(_ action: String, _ cluster: String, _ failures: [CometVMFailure]) -> CometError {
        let status = HTTPResponse.Status(code: failures.first?.code ?? 503)
        let names = failures.map { "\($0.name): \($0.reason)" }.joined(separator: "; ")
        let kind = SpecError.classify(HTTPError(status)).error.kind
        return CometError(
            status: status,
            SpecError(kind, "\(action) failed on \(failures.count) VM(s) of cluster '\(cluster)': \(names)"),
            failures: failures)
    }
}

extension CometVMFailure: Error {}
