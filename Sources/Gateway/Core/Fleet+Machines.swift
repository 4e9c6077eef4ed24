import Foundation
public import Spec

extension Fleet {
    /// Machines of all backends (or one backend / one group), merged; a backend that fails
    /// adds a warning instead of failing the list.
    public func machines(group: String? = nil, backend: String? = nil) async -> MachineList {
        let targets = backend.map { name in backends.all.filter { $0.name == name } } ?? backends.all
        var machines: [Machine] = []
        var warnings: [String] = []
        var versions: [String] = []
        var versioned = true
        await withTaskGroup(of: (String, Result<MachineSnapshot, SpecError>).self) { tasks in
            for target in targets {
                tasks.addTask {
                    do {
                        let snapshot = try await self.call(target, "machines") { try await $0.machineSnapshot() }
                        return (target.name, .success(snapshot))
                    } catch {
                        let message = "backend '\(target.name)': \(SpecError.wrap(error).message)"
                        return (target.name, .failure(SpecError(.unavailable, message)))
                    }
                }
            }
            for await (name, result) in tasks {
                switch result {
                case .success(let snapshot):
                    machines += snapshot.machines
                    if let version = snapshot.version {
                        versions.append("\(name)=\(version)")
                    } else {
                        versioned = false
                    }
                case .failure(let error):
                    warnings.append(error.message)
                    versioned = false
                }
            }
        }
        if AccessControl.principal != nil { machines = machines.filter(AccessControl.mayAccess) }
        if let group {
            let names = Set([group] + (groups.group(group)?.aliases ?? []))
            machines = machines.filter { $0.metadata.group.map(names.contains) ?? false }
        }
        let ordered: (Machine, Machine) -> Bool = {
            $0.backend == $1.backend ? $0.name < $1.name : $0.backend < $1.backend
        }
        if !zip(machines, machines.dropFirst()).allSatisfy({ !ordered($1, $0) }) { machines.sort(by: ordered) }
        let version = versioned ? versions.sorted().joined(separator: ",") + "|\(group ?? "")|\(backend ?? "")" : nil
        return MachineList(machines: machines, warnings: warnings.sorted(), version: version)
    }

    /// One machine by id, name or UUID.
    public func machine(_ id: String) async throws -> Machine {
        try await onMachine(id, "machine") { try await $0.machine(named: $1) }
    }

    /// Creates a machine from a request, filling gaps from its group, template and backend defaults.
    public func createMachine(_ request: CreateMachineRequest) async throws -> Machine {
        var plan = try await plan(request)
        if let principal = AccessControl.principal { plan.spec.metadata.owner = principal.user }
        let started = ContinuousClock.now
        let spec = plan.spec
        let machine = try await admitting(spec) {
            try await call(plan.backend, "createMachine") { try await $0.createMachine(spec) }
        }
        let seconds = (ContinuousClock.now - started).seconds
        try? await store.record(
            HistoryEvent(
                kind: "clone", subject: machine.id, duration: seconds,
                attributes: ["group": machine.metadata.group ?? "", "template": machine.metadata.template ?? ""]))
        logger.info(
            "machine created",
            metadata: [
                "vmgate.machine": "\(machine.id)", "vmgate.backend": "\(machine.backend)", "seconds": "\(seconds)",
            ])
        return machine
    }

    /// Runs a power action; `conflict` when the machine is in the wrong state for it.
    public func perform(_ action: MachineAction, on id: String) async throws -> Machine {
        try await onMachine(id, action.rawValue) { try await $0.perform(action, onMachine: $1) }
    }

    /// Changes hardware (machine shut off) or metadata.
    public func updateMachine(_ id: String, _ update: MachineUpdate) async throws -> Machine {
        if let vcpus = update.vcpus { try Limits.validate(vcpus: vcpus) }
        if let memory = update.memoryKiB { try Limits.validate(memoryKiB: memory) }
        return try await onMachine(id, "updateMachine") { try await $0.updateMachine(named: $1, update) }
    }

    /// Reads, changes and writes back a machine's metadata.
    public func updateMetadata(
        _ id: String, _ change: @escaping @Sendable (inout MachineMetadata) throws -> Void
    ) async throws -> Machine {
        try await onMachine(id, "updateMachine") { backend, name in
            var metadata = try await backend.machine(named: name).metadata
            try change(&metadata)
            try Self.validateText(of: metadata)
            return try await backend.updateMachine(named: name, MachineUpdate(metadata: metadata))
        }
    }

    /// Checks that the free-form text of `metadata` (tags, dialect values) can be stored with
    /// the machine (no control characters).
    static func validateText(of metadata: MachineMetadata) throws {
        try TextRules.validate(tags: metadata.tags)
        for (key, value) in metadata.extra {
            try TextRules.validate(key, field: "metadata name", maxLength: TextRules.maxTagKey)
            try TextRules.validate(value, field: "metadata '\(key.prefix(32))'", multiline: true)
        }
    }

    /// Deletes a machine and (by default) the disks vmgate created for it.
    public func deleteMachine(_ id: String, options: DeleteOptions = DeleteOptions()) async throws {
        try await onMachine(id, "deleteMachine") { try await $0.deleteMachine(named: $1, options: options) }
        logger.info("machine deleted", metadata: ["vmgate.machine": "\(id)"])
    }

    /// A PNG of the machine's primary display.
    public func screenshotPNG(_ id: String) async throws -> [UInt8] {
        let shot = try await onMachine(id, "screenshot") { backend, name in
            try backend.require(.screenshots, "screenshots")
            return try await backend.screenshot(ofMachine: name)
        }
        if shot.mimeType == "image/png" || shot.data.starts(with: PNGEncoder.signature) { return shot.data }
        return try PNGEncoder.png(fromPPM: shot.data)
    }

    /// Cumulative counters of a machine.
    public func stats(_ id: String) async throws -> MachineStats {
        try await onMachine(id, "stats") { backend, name in
            try backend.require(.stats, "statistics")
            return try await backend.stats(ofMachine: name)
        }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
