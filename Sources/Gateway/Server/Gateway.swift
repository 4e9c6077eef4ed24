import CometDialect
public import DialectKit
import Foundation
public import GatewayCore
public import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import IMDialect
import KimchiDialect
import Libvirt
public import Logging
import NIOCore
import NativeDialect
public import Prometheus
import Proxy
import ServiceLifecycle
import Spec
import Store
import VMPoolerDialect
import VirtualizationServerDialect

/// A built gateway: the fleet, the HTTP application(s) and the services to run beside them.
public struct Gateway: Sendable {
    /// The main HTTP application (root routes and every dialect without a port of its own).
    public let application: Application<RouterResponder<GatewayContext>>
    /// Applications of dialects mounted on their own port.
    public let dialectListeners: [Application<RouterResponder<GatewayContext>>]
    /// The fleet the dialects work on.
    public let fleet: Fleet
    /// Mounted dialects.
    public let mounts: [MountedDialect]
    let libvirtBackends: [LibvirtBackend]
    let proxyBackends: [ProxyBackend]
    let instanceLock: InstanceLock?

    /// Closes every backend (the running application does this itself on graceful shutdown).
    public func close() async {
        for backend in libvirtBackends { await backend.close() }
        for backend in proxyBackends { await backend.close() }
        instanceLock?.release()
    }

    /// The dialects vmgate knows.
    public static var registry: DialectRegistry {
        var registry = DialectRegistry()
        registry.register(NativeDialect.self) { try NativeDialect(environment: $0) }
        registry.register(KimchiDialect.self) { try KimchiDialect(environment: $0) }
        registry.register(VirtualizationServerDialect.self) { try VirtualizationServerDialect(environment: $0) }
        registry.register(VMPoolerDialect.self) { try VMPoolerDialect(environment: $0) }
        registry.register(IMDialect.self) { IMDialect(environment: $0) }
        registry.register(CometDialect.self) { CometDialect(environment: $0) }
        return registry
    }

    /// Builds everything the configuration describes; connects backends (a backend that
    /// cannot be reached is logged and retried on use, not fatal).
    public static func build(
        configuration config: GatewayConfiguration, logger: Logger,
        prometheus: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) async throws -> Gateway {
        try ConfigurationLoader.validate(config)
        let access = try config.accessPolicy(logger: logger)
        let lock = config.store.path == ":memory:" ? nil : try InstanceLock(storePath: config.store.path)
        let store = try openStore(config.store)
        var registry = BackendRegistry()
        var libvirtBackends: [LibvirtBackend] = []
        var proxyBackends: [ProxyBackend] = []
        for settings in config.backends {
            if settings.type == "proxy" {
                let backend = ProxyBackend(
                    name: settings.name, configuration: settings.proxyConfiguration,
                    logger: logger.with("vmgate.backend", settings.name))
                proxyBackends.append(backend)
                registry.use(backend, defaults: settings.defaults)
                continue
            }
            let backend = LibvirtBackend(
                name: settings.name, configuration: settings.libvirtConfiguration,
                logger: logger.with("vmgate.backend", settings.name))
            libvirtBackends.append(backend)
            registry.use(backend, defaults: settings.defaults)
        }
        let groups = GroupDirectory(
            configured: config.groups.map { $0.group(defaultBackends: config.backends.map(\.name)) }, store: store)
        try await groups.load()
        let fleet = Fleet(
            backends: registry, groups: groups, store: store, defaultGroup: config.defaultGroup,
            callTimeout: config.callTimeoutSeconds ?? 30, protectedPaths: [config.dataDirectory].compactMap { $0 },
            imports: try config.imports?.resolved() ?? .init(), users: access.users,
            logger: logger)
        try await fleet.tasks.recoverInterrupted()
        await connect(libvirtBackends, logger: logger)
        await connect(proxyBackends, logger: logger)
        try await Bootstrap.seed(config, fleet: fleet, logger: logger)

        let mounts = try mountDialects(config, fleet: fleet, access: access, logger: logger)
        await warnAboutUnroutedMachines(fleet, logger: logger)
        let lifecycle = BackendLifecycle(backends: libvirtBackends, logger: logger, proxies: proxyBackends)
        let main = Router(context: GatewayContext.self)
        main.add(middleware: LogRequestsMiddleware(.debug))
        RootRoutes(fleet: fleet, mounts: mounts, prometheus: prometheus, benchmark: config.benchmarkRoutes ?? false)
            .register(on: main)
        // Connections idle (no request in progress, nothing read) for this long are closed, and so
        // are connections that have not sent a whole request head in that time.
        let idle = TimeAmount.milliseconds(Int64((config.idleTimeoutSeconds ?? 60) * 1000))
        let http1 = HTTP1Channel.Configuration(idleTimeout: idle)
        var listeners: [Application<RouterResponder<GatewayContext>>] = []
        for mount in mounts {
            if let port = mount.port {
                let router = Router(context: GatewayContext.self)
                router.addRoutes(mount.dialect.routes(), atPath: RouterPath(mount.prefix))
                listeners.append(
                    Application(
                        router: router,
                        server: HTTPServerBuilder { responder in
                            HeaderDeadlineChannel(
                                inner: HTTP1Channel(responder: responder, configuration: http1), timeout: idle)
                        },
                        configuration: .init(
                            address: .hostname(mount.host ?? config.listen.host, port: port), serverName: "vmgate"),
                        logger: logger))
            } else {
                main.addRoutes(mount.dialect.routes(), atPath: RouterPath(mount.prefix))
            }
        }
        // WebSocket upgrades (the Comet serial-console bridge) are matched on a router of their own.
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        for mount in mounts where mount.port == nil {
            (mount.dialect as? CometDialect)?.addWebSocketRoutes(to: webSocketRouter)
        }
        let application = Application(
            router: main,
            server: HTTPServerBuilder { [webSocketResponder = webSocketRouter.buildResponder()] responder in
                HeaderDeadlineChannel(
                    inner: HTTP1WebSocketUpgradeChannel(
                        responder: responder, webSocketResponder: webSocketResponder, configuration: .init(http1: http1)
                    ),
                    timeout: idle)
            },
            configuration: .init(
                address: .hostname(config.listen.host, port: config.listen.port), serverName: "vmgate"),
            services: [lifecycle] + mounts.map { DialectService(mount: $0) }, logger: logger)
        return Gateway(
            application: application, dialectListeners: listeners, fleet: fleet, mounts: mounts,
            libvirtBackends: libvirtBackends, proxyBackends: proxyBackends, instanceLock: lock)
    }

    /// Builds every configured dialect over an offline fleet (an in-memory store, the configured
    /// groups, no backend connections), so `check-config` reports a bad dialect option as serving
    /// would, naming the dialect.
    public static func checkDialects(_ config: GatewayConfiguration, logger: Logger) async throws {
        let access = try config.accessPolicy(logger: logger)
        let store = try SQLiteStore.inMemory()
        let groups = GroupDirectory(
            configured: config.groups.map { $0.group(defaultBackends: config.backends.map(\.name)) }, store: store)
        try await groups.load()
        let fleet = Fleet(
            backends: BackendRegistry(), groups: groups, store: store, defaultGroup: config.defaultGroup, logger: logger
        )
        _ = try mountDialects(config, fleet: fleet, access: access, logger: logger)
    }

    static func openStore(_ settings: GatewayConfiguration.StoreSettings) throws -> SQLiteStore {
        settings.path == ":memory:" ? try SQLiteStore.inMemory() : try SQLiteStore(path: settings.path)
    }

    static func connect(_ backends: [LibvirtBackend], logger: Logger) async {
        await withTaskGroup(of: Void.self) { tasks in
            for backend in backends {
                tasks.addTask {
                    do {
                        try await Deadline.run(seconds: 15, "connecting backend '\(backend.name)'") {
                            try await backend.connect()
                        }
                        logger.info(
                            "backend connected",
                            metadata: ["vmgate.backend": "\(backend.name)", "uri": "\(backend.endpoint)"])
                    } catch {
                        logger.error(
                            "backend not reachable at start-up; will retry on use",
                            metadata: ["vmgate.backend": "\(backend.name)", "error": "\(error)"])
                    }
                }
            }
        }
    }

    static func mountDialects(
        _ config: GatewayConfiguration, fleet: Fleet, access: AccessPolicy = .open, logger: Logger
    ) throws -> [MountedDialect] {
        var mounts: [MountedDialect] = []
        var prefixes = Set<String>()
        for (index, mount) in config.dialects.enumerated() where mount.enabled ?? true {
            guard let defaultPrefix = registry.defaultPrefix(mount.name) else {
                throw ConfigurationLoader.Failure(
                    description:
                        "dialects: unknown dialect '\(mount.name)'; known: \(registry.names.joined(separator: ", "))")
            }
            let prefix = MountedDialect.normalize(mount.prefix ?? defaultPrefix)
            if mount.port == nil, !prefixes.insert(prefix).inserted {
                throw ConfigurationLoader.Failure(description: "dialects: two dialects are mounted at '\(prefix)'")
            }
            let environment = DialectEnvironment(
                fleet: fleet, prefix: prefix, options: mount.options ?? [:], access: access, name: mount.name,
                logger: logger.with("vmgate.dialect", mount.name))
            let made: (any Dialect)?
            do { made = try registry.make(mount.name, environment) } catch let error as SpecError {
                throw ConfigurationLoader.Failure(description: "dialects[\(index)] (\(mount.name)): \(error.message)")
            }
            guard let dialect = made else { continue }
            mounts.append(
                MountedDialect(name: mount.name, prefix: prefix, port: mount.port, host: mount.host, dialect: dialect))
        }
        return mounts
    }
}

/// Runs a dialect's background work until graceful shutdown cancels it.
struct DialectService: Service {
    let mount: MountedDialect

    func run() async throws {
        try? await cancelWhenGracefulShutdown { try await mount.dialect.run() }
        // A dialect without background work returns at once; stay up so that does not end the group.
        try? await gracefulShutdown()
    }
}

/// A dialect and where it is mounted.
public struct MountedDialect: Sendable {
    /// Dialect name.
    public var name: String
    /// Path prefix (`` for the root).
    public var prefix: String
    /// Own port, if any.
    public var port: Int?
    /// Own listen address (with ``port``), if any.
    public var host: String?
    /// The dialect.
    public var dialect: any Dialect

    /// `/api/v1/` → `/api/v1`, `/` → ``.
    static func normalize(_ prefix: String) -> String {
        var trimmed = prefix
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        if !trimmed.isEmpty, !trimmed.hasPrefix("/") { trimmed = "/" + trimmed }
        return trimmed
    }
}

extension Logger {
    func with(_ key: String, _ value: String) -> Logger {
        var copy = self
        copy[metadataKey: key] = "\(value)"
        return copy
    }
}
