import Foundation
public import Logging
import Metrics
public import Spec
import Synchronization

/// The gateway's single view of all backends: every dialect reads and changes machines,
/// templates and storage through a fleet, never through a backend directly.
public final class Fleet: Sendable {
    /// The backends, by name.
    public let backends: BackendRegistry
    /// The groups (routing units).
    public let groups: GroupDirectory
    /// Persistent gateway state.
    public let store: any GatewayStore
    /// Background work.
    public let tasks: TaskRunner
    /// Group for machines created without one.
    public let defaultGroup: String?
    /// Time limit of one backend call, in seconds; past it the caller gets `unavailable`.
    public let callTimeout: Double
    /// Directories of the gateway's own (its data directory): no storage pool may be created there.
    public let protectedPaths: [String]
    /// Where images may be imported from, and the limits of imports and uploads.
    public let imports: ImageImportSettings
    /// The gateway's users, their groups and quotas.
    public let users: UserDirectory
    let quotaLocks = KeyedLock()
    let tokenCache = TokenCache()
    /// The gateway's logger.
    public let logger: Logger
    let roundRobin = Mutex<[String: Int]>([:])

    /// Creates a fleet.
    public init(
        backends: BackendRegistry, groups: GroupDirectory, store: any GatewayStore, defaultGroup: String? = nil,
        callTimeout: Double = 30, protectedPaths: [String] = [], imports: ImageImportSettings = ImageImportSettings(),
        users: UserDirectory = UserDirectory(), logger: Logger
    ) {
        self.users = users
        self.protectedPaths = protectedPaths
        self.backends = backends
        self.groups = groups
        self.store = store
        self.tasks = TaskRunner(store: store, logger: logger)
        self.defaultGroup = defaultGroup
        self.callTimeout = callTimeout
        self.imports = imports
        self.logger = logger
    }

    /// Calls one backend with a time limit (``callTimeout`` unless `timeout` says otherwise, in
    /// seconds), timing the call and mapping every error to ``SpecError``.
    public func call<T: Sendable>(
        _ backend: any Backend, _ operation: String, timeout: Double? = nil,
        _ body: @escaping @Sendable (any Backend) async throws -> T
    ) async throws -> T {
        let started = ContinuousClock.now
        let dimensions = [("backend", backend.name), ("operation", operation)]
        defer {
            Timer(label: "vmgate_backend_call_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
                .record(duration: ContinuousClock.now - started)
        }
        do {
            return try await Deadline.run(seconds: timeout ?? callTimeout, "backend '\(backend.name)' \(operation)") {
                try await body(backend)
            }
        } catch {
            let spec = SpecError.wrap(error)
            if spec.kind == .unavailable || spec.kind == .internal {
                Counter(label: "vmgate_backend_call_errors_total", dimensions: dimensions).increment()
                logger.failure(
                    spec, "backend call failed",
                    metadata: ["vmgate.backend": "\(backend.name)", "operation": "\(operation)"])
            }
            throw spec
        }
    }

    /// Resolves a machine id (`backend:name`), a bare name or a UUID to its backend and name.
    public func locate(_ id: String) async throws -> (backend: any Backend, name: String) {
        if let ref = MachineRef(id: id), let backend = try? backends.backend(ref.backend) {
            if let principal = AccessControl.principal, !principal.isAdmin {
                let machine: Machine
                do { machine = try await call(backend, "machine") { try await $0.machine(named: ref.name) } } catch let
                    error as SpecError where error.kind == .notFound
                {
                    throw SpecError.notFound("no machine named '\(id)'")
                }
                try AccessControl.require(machine, id: id)
            }
            return (backend, ref.name)
        }
        let list = await machines()
        let matches = list.machines.filter { $0.name == id || $0.uuid.lowercased() == id.lowercased() }
        guard let first = matches.first else {
            if !list.warnings.isEmpty {
                throw SpecError.unavailable(
                    "machine '\(id)' not found, and some backends are unreachable: "
                        + list.warnings.joined(separator: "; "))
            }
            throw SpecError.notFound("no machine named '\(id)'")
        }
        guard matches.count == 1 else {
            throw SpecError.conflict(
                "'\(id)' names several machines (\(matches.map(\.id).joined(separator: ", "))); use a backend-qualified id"
            )
        }
        return (try backends.backend(first.backend), first.name)
    }

    /// Runs `body` against the backend holding machine `id`.
    public func onMachine<T: Sendable>(
        _ id: String, _ operation: String, _ body: @escaping @Sendable (any Backend, String) async throws -> T
    ) async throws -> T {
        let (backend, name) = try await locate(id)
        return try await call(backend, operation) { try await body($0, name) }
    }
}
