public import Spec

/// A backend as the hosts view reports it.
public struct BackendStatus: Sendable, Codable {
    /// Name.
    public var name: String
    /// Kind (`libvirt`, `proxy`).
    public var kind: String
    /// URI or URL, credentials redacted.
    public var endpoint: String
    /// Capability names.
    public var capabilities: [String]
    /// Health.
    public var health: BackendHealth
    /// Host capacity, when reachable.
    public var host: HostInfo?
    /// Machines by state, when reachable.
    public var machines: [String: Int]?
}

extension Fleet {
    /// Status of every backend, probed concurrently.
    public func backendStatuses() async -> [BackendStatus] {
        await withTaskGroup(of: BackendStatus.self) { tasks in
            for backend in backends.all {
                tasks.addTask { await self.status(of: backend) }
            }
            var statuses: [BackendStatus] = []
            for await status in tasks { statuses.append(status) }
            return statuses.sorted { $0.name < $1.name }
        }
    }

    /// Status of one backend.
    public func status(of backend: any Backend) async -> BackendStatus {
        let host = try? await call(backend, "hostInfo") { try await $0.hostInfo() }
        let machines = try? await call(backend, "machines") { try await $0.machines() }
        let counts = machines.map { Dictionary(grouping: $0, by: \.state.rawValue).mapValues(\.count) }
        return BackendStatus(
            name: backend.name, kind: backend.kind, endpoint: backend.endpoint,
            capabilities: backend.capabilities.names,
            health: await health(of: backend), host: host, machines: counts)
    }

    /// A backend's health, or unhealthy when the probe itself does not answer in time.
    public func health(of backend: any Backend) async -> BackendHealth {
        let limit = min(callTimeout, 5)
        do {
            return try await Deadline.run(seconds: limit, "health probe of '\(backend.name)'") {
                await backend.health()
            }
        } catch {
            let spec = SpecError.wrap(error)
            logger.failure(spec, "health probe failed", metadata: ["vmgate.backend": "\(backend.name)"])
            return BackendHealth(healthy: false, lastError: spec.message)
        }
    }
}
