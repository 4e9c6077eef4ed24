import GatewayCore
import Logging
import Proxy
import Spec

extension Gateway {
    /// Connects proxy backends (learns the upstream's capabilities); an unreachable upstream
    /// is logged and retried on use, not fatal.
    static func connect(_ backends: [ProxyBackend], logger: Logger) async {
        await withTaskGroup(of: Void.self) { tasks in
            for backend in backends {
                tasks.addTask {
                    do {
                        try await Deadline.run(seconds: 15, "connecting backend '\(backend.name)'") {
                            try await backend.connect()
                        }
                        logger.info(
                            "backend connected",
                            metadata: ["vmgate.backend": "\(backend.name)", "url": "\(backend.endpoint)"])
                    } catch {
                        logger.error(
                            "upstream gateway not reachable at start-up; will retry on use",
                            metadata: ["vmgate.backend": "\(backend.name)", "error": "\(error)"])
                    }
                }
            }
        }
    }

    /// Logs, once at start-up, every machine whose group is no longer routed to its backend
    /// (the group was moved to other backends in configuration), so operators see at once
    /// which machines the gateway will not place into that group any more.
    static func warnAboutUnroutedMachines(_ fleet: Fleet, logger: Logger) async {
        let report = await fleet.routingReport()
        for group in report where !group.unreachableMachines.isEmpty {
            logger.warning(
                "machines of group live on backends the group is no longer routed to",
                metadata: [
                    "vmgate.group": "\(group.name)", "backends": "\(group.backends.joined(separator: ","))",
                    "machines": "\(group.unreachableMachines.map(\.id).joined(separator: ","))",
                ])
        }
    }
}
