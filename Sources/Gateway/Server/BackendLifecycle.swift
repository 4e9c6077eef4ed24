import Libvirt
import Logging
import Proxy
import ServiceLifecycle

/// Keeps backends open while the gateway runs and closes them on graceful shutdown.
struct BackendLifecycle: Service {
    let backends: [LibvirtBackend]
    let logger: Logger
    var proxies: [ProxyBackend] = []

    func run() async throws {
        try? await gracefulShutdown()
        for backend in backends { await backend.close() }
        for backend in proxies { await backend.close() }
        logger.info("backends closed")
    }
}
