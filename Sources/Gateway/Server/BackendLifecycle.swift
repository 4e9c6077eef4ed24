import Libvirt
import Logging
import ServiceLifecycle

/// Keeps backends open while the gateway runs and closes them on graceful shutdown.
struct BackendLifecycle: Service {
    let backends: [LibvirtBackend]
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        for backend in backends { await backend.close() }
        logger.info("backends closed")
    }
}
