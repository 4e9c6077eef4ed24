internal import CLibvirt
import Foundation
import Spec

extension LibvirtBackend {
    /// Opens the connection, loads the machine cache and starts following events.
    public func connect() async throws {
        link.withLock { $0.closed = false }
        _ = try await connection()
        startBackgroundTasks()
    }

    /// Removes callbacks, closes the connection, ends event streams and stops the thread pool.
    public func close() async {
        let (connection, registration, background) = link.withLock { state in
            state.closed = true
            defer {
                state.connection = nil
                state.background = []
                state.registration = EventRegistration()
            }
            return (state.connection, state.registration, state.background)
        }
        for task in background { task.cancel() }
        notes.finish()
        if let connection {
            try? await lanes.interactive.runIfActive { registration.deregister(connection) }
        }
        hub.finish()
        cache.clear()
        try? await lanes.shutdownGracefully()
    }

    /// The live connection, reconnecting first when it is missing or dead.
    func connection() async throws -> LibvirtConnection {
        enum Step {
            case ready(LibvirtConnection)
            case wait(Task<LibvirtConnection, any Error>)
            case closed
        }
        let step = link.withLock { state -> Step in
            if state.closed { return .closed }
            if let connection = state.connection, !connection.isDead { return .ready(connection) }
            if let task = state.reconnecting { return .wait(task) }
            let task = Task { try await self.establish() }
            state.reconnecting = task
            return .wait(task)
        }
        switch step {
        case .ready(let connection): return connection
        case .wait(let task): return try await task.value
        case .closed: throw SpecError.unavailable("backend '\(name)' is closed")
        }
    }

    /// Opens a new connection, registers callbacks and reloads the cache. Honours the backoff.
    private func establish() async throws -> LibvirtConnection {
        defer { link.withLock { $0.reconnecting = nil } }
        if let next = link.withLock({ $0.nextAttemptAt }), next > .now {
            let wait = (next - .now).seconds
            throw SpecError.unavailable(
                "libvirt at \(endpoint) is unreachable; next attempt in \(String(format: "%.1f", wait))s",
                cause: link.withLock { $0.lastError })
        }
        let (old, oldRegistration) = link.withLock { ($0.connection, $0.registration) }
        let (uri, display) = (configuration.uri, endpoint)
        let keepAlive = (configuration.keepAliveInterval, configuration.keepAliveCount)
        let sink = makeSink()
        do {
            let (connection, registration, driver) = try await lanes.run {
                if let old { oldRegistration.deregister(old) }
                let connection = try LibvirtConnection(uri: uri, display: display)
                if virConnectSetKeepAlive(connection.pointer, keepAlive.0, keepAlive.1) < 0 {
                    LibvirtError.discard()  // local drivers do not support keep-alive
                }
                let registration = EventRegistration.register(connection, sink: sink)
                return (connection, registration, connection.driverType())
            }
            link.withLock { state in
                state.connection = connection
                state.registration = registration
                state.failures = 0
                state.nextAttemptAt = nil
                state.capabilities = Self.capabilities(forDriver: driver)
            }
            logger.info(
                "connected to libvirt", metadata: ["backend": "\(name)", "uri": "\(endpoint)", "driver": "\(driver)"])
            let ticket = cache.ticket()
            let backend = name
            let machines = try await lanes.run { try MachineReader.readAll(connection, backend: backend) }
            cache.replaceAll(machines, ticket: ticket)
            return connection
        } catch {
            let spec = SpecError.wrap(error)
            link.withLock { state in
                state.failures += 1
                let delay = min(30, 0.5 * pow(2, Double(state.failures - 1)))
                state.nextAttemptAt = .now + .milliseconds(Int(delay * 1000))
                state.connection = nil
                state.lastError = spec.message
                state.lastErrorAt = Date()
            }
            logger.warning("libvirt connection failed", metadata: ["backend": "\(name)", "error": "\(spec)"])
            throw spec
        }
    }

    /// The sink that turns callbacks into work for this backend (weakly held, no cycle).
    private func makeSink() -> EventSink {
        let notes = self.notes
        return EventSink(
            onDomainEvent: { name, kind in notes.push(DomainNote(name: name, kind: kind)) },
            onClose: { [weak self] reason in
                guard let self else { return }
                let connection = self.link.withLock { $0.connection }
                connection?.markDead()
                self.logger.warning(
                    "libvirt connection closed", metadata: ["backend": "\(self.name)", "reason": "\(reason)"])
                self.noteFailure(.unavailable("libvirt connection closed (\(Self.closeReason(reason)))"))
            })
    }

    /// Starts the event consumer and the periodic resync, both maintenance: they run at low
    /// priority, so their libvirt calls take the background lane.
    private func startBackgroundTasks() {
        let interval = configuration.resyncInterval
        var tasks: [Task<Void, Never>] = []
        if let wakeups = notes.wakeups() {
            let notes = self.notes
            tasks.append(
                Task(priority: .low) { [weak self] in
                    for await _ in wakeups {
                        let batch = notes.drain()
                        if !batch.isEmpty { await self?.process(batch) }
                    }
                })
        }
        if interval > 0 {
            tasks.append(
                Task(priority: .background) { [weak self] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                        guard !Task.isCancelled, let self else { return }
                        do {
                            try await self.reload()
                        } catch {
                            self.logger.debug(
                                "resync failed", metadata: ["backend": "\(self.name)", "error": "\(error)"])
                        }
                    }
                })
        }
        link.withLock { $0.background += tasks }
    }

    /// Refreshes each machine a batch of events was about once (machines in parallel), then
    /// tells subscribers about every event in order.
    private func process(_ batch: [DomainNote]) async {
        var seen = Set<String>()
        let names = batch.map(\.name).filter { seen.insert($0).inserted }
        await withTaskGroup(of: Void.self) { group in
            for name in names {
                group.addTask {
                    do {
                        try await self.refresh(name)
                    } catch {
                        self.logger.debug(
                            "event refresh failed", metadata: ["machine": "\(name)", "error": "\(error)"])
                    }
                }
            }
        }
        for note in batch {
            hub.broadcast(MachineEvent(machine: MachineRef(backend: name, name: note.name), kind: note.kind))
        }
    }

    /// libvirt's `virConnectCloseReason` in words.
    static func closeReason(_ reason: Int32) -> String {
        switch reason {
        case Int32(VIR_CONNECT_CLOSE_REASON_EOF.rawValue): "end of file from the server"
        case Int32(VIR_CONNECT_CLOSE_REASON_KEEPALIVE.rawValue): "keepalive timeout"
        case Int32(VIR_CONNECT_CLOSE_REASON_CLIENT.rawValue): "closed by the client"
        default: "connection error"
        }
    }

    /// Capabilities guessed from the URI scheme before connecting.
    static func capabilities(forURI uri: String) -> BackendCapabilities {
        capabilities(forDriver: uri.hasPrefix("test:") ? "TEST" : "QEMU")
    }

    /// What each driver really supports (probed against libvirt 9 with virsh; `virConnectGetType` names).
    static func capabilities(forDriver driver: String) -> BackendCapabilities {
        let common: BackendCapabilities = [
            .snapshots, .storage, .overlayClone, .events, .stats, .poolManagement, .hardwareUpdate,
        ]
        switch driver.uppercased() {
        case "TEST": return common.union(.screenshots)
        case "QEMU":
            return common.union([.screenshots, .diskAttach, .volumeMaintenance, .liveDiskSnapshots, .serialConsole])
        default: return common.union([.diskAttach, .serialConsole])
        }
    }
}

/// libvirt's version as seen through the connection (a cheap round trip for remote drivers).
func libraryVersion(_ connection: LibvirtConnection) -> UInt? {
    var version: UInt = 0
    return virConnectGetLibVersion(connection.pointer, &version) == 0 ? version : nil
}
