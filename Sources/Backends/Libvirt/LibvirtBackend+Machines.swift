internal import CLibvirt
public import Spec

extension LibvirtBackend {
    /// All machines, from the cache (no libvirt call while connected).
    public func machines() async throws -> [Machine] {
        _ = try await connection()
        return cache.all()
    }

    /// All machines from the cache, with its version.
    public func machineSnapshot() async throws -> MachineSnapshot {
        _ = try await connection()
        let (version, machines) = cache.snapshot()
        return MachineSnapshot(version: version, machines: machines)
    }

    /// One machine, from the cache; an unknown name is checked against libvirt once.
    public func machine(named name: String) async throws -> Machine {
        _ = try await connection()
        if let machine = cache.machine(named: name) { return machine }
        guard let machine = try await refresh(name) else { throw SpecError.notFound("machine '\(name)' not found") }
        return machine
    }

    /// Runs a power action after checking it makes sense in the current state.
    public func perform(_ action: MachineAction, onMachine name: String) async throws -> Machine {
        let backend = self.name
        return try await mutateMachine(name) { connection in
            let domain = try DomainHandle.lookup(name, in: connection)
            let state = try domain.state().state
            guard action.allowedFrom.contains(state) else {
                throw SpecError.conflict("machine '\(name)' is \(state.rawValue); cannot \(action.rawValue)")
            }
            try domain.check(action.rawValue) { pointer in
                switch action {
                case .start: virDomainCreate(pointer)
                case .shutdown: virDomainShutdown(pointer)
                case .poweroff: virDomainDestroy(pointer)
                case .reset: virDomainReset(pointer, 0)
                case .reboot: virDomainReboot(pointer, 0)
                case .suspend: virDomainSuspend(pointer)
                case .resume: virDomainResume(pointer)
                }
            }
            return try MachineReader.read(domain, backend: backend)
        }
    }

    /// Changes vCPUs/memory (shut-off machines only, by redefinition) and/or metadata.
    public func updateMachine(named name: String, _ update: MachineUpdate) async throws -> Machine {
        if let vcpus = update.vcpus { try Self.validate(vcpus: vcpus) }
        if let memory = update.memoryKiB { try Self.validate(memoryKiB: memory) }
        let backend = self.name
        let cache = self.cache
        return try await mutateMachine(name) { connection in
            let domain = try DomainHandle.lookup(name, in: connection)
            let state = try domain.state()
            if !update.touchesHardware, let metadata = update.metadata, var machine = cache.machine(named: name),
                let owned = domain.vmgateMetadata()?.ownedPaths
            {
                // Metadata only: read and write just the element and patch the cached machine
                // instead of reading and parsing the whole definition twice.
                try Self.setMetadata(
                    MetadataXML(metadata: metadata, ownedPaths: owned), on: domain, active: state.isActive)
                machine.metadata = metadata
                machine.state = state.state
                return machine
            }
            if update.touchesHardware {
                guard state.state == .shutoff else {
                    throw SpecError.conflict(
                        "machine '\(name)' is \(state.state.rawValue); shut it off to change hardware")
                }
                let xml = try DomainXML.replacingHardware(
                    in: domain.xml(inactive: true), vcpus: update.vcpus, memoryKiB: update.memoryKiB)
                guard let redefined = virDomainDefineXML(connection.pointer, xml) else {
                    throw LibvirtError.capture("update", "machine '\(name)'", connection: connection)
                }
                virDomainFree(redefined)
            }
            if let metadata = update.metadata {
                let owned = try DomainXML(domain.xml(inactive: domain.isPersistent)).vmgate.ownedPaths
                try Self.setMetadata(
                    MetadataXML(metadata: metadata, ownedPaths: owned), on: domain, active: state.isActive)
            }
            return try MachineReader.read(domain, backend: backend)
        }
    }

    /// Writes the vmgate metadata element to the persistent and (when running) live definition.
    static func setMetadata(_ metadata: MetadataXML, on domain: DomainHandle, active: Bool) throws(SpecError) {
        var flags: UInt32 = 0
        if domain.isPersistent { flags |= VIR_DOMAIN_AFFECT_CONFIG.rawValue }
        if active { flags |= VIR_DOMAIN_AFFECT_LIVE.rawValue }
        try domain.check("update the metadata of") { pointer in
            virDomainSetMetadata(
                pointer, Int32(VIR_DOMAIN_METADATA_ELEMENT.rawValue), metadata.unqualifiedXML, MetadataXML.prefix,
                MetadataXML.namespace, flags)
        }
    }

    /// Deletes a machine: powers it off (with `force`), undefines it and removes the disks vmgate created.
    public func deleteMachine(named name: String, options: DeleteOptions) async throws {
        let failures = try await run { connection -> [SpecError] in
            let domain = try DomainHandle.lookup(name, in: connection)
            let state = try domain.state()
            let owned = try DomainXML(domain.xml(inactive: domain.isPersistent)).vmgate.ownedPaths
            if state.isActive {
                guard options.force else {
                    throw SpecError.conflict("machine '\(name)' is \(state.state.rawValue); power it off first")
                }
                try domain.check("power off") { virDomainDestroy($0) }
            }
            if domain.isPersistent { try Self.undefine(domain) }
            guard options.removeOwnedDisks else { return [] }
            return Self.deleteVolumes(atPaths: owned, connection)
        }
        cache.store(nil, named: name, ticket: cache.ticket())
        for failure in failures {
            logger.warning("could not delete owned disk", metadata: ["machine": "\(name)", "error": "\(failure)"])
        }
    }

    /// Undefines the machine but keeps its disks; the caller keeps ``domainXML(named:)`` to re-define it.
    public func releaseMachine(named name: String) async throws {
        try await run { connection in
            let domain = try DomainHandle.lookup(name, in: connection)
            let state = try domain.state().state
            guard state == .shutoff else {
                throw SpecError.conflict("machine '\(name)' is \(state.rawValue); shut it off before releasing it")
            }
            try Self.undefine(domain)
        }
        cache.store(nil, named: name, ticket: cache.ticket())
    }

    /// The persistent definition of a machine, to keep before ``releaseMachine(named:)``.
    public func domainXML(named name: String) async throws -> String {
        try await run { connection in
            try DomainHandle.lookup(name, in: connection).xml(inactive: true)
        }
    }

    /// Defines a machine from XML (e.g. one kept from ``domainXML(named:)``) and returns it.
    public func defineMachine(xml: String, ownedPaths: [String]) async throws -> Machine {
        let backend = self.name
        let parsed = try DomainXML(xml)
        try NameRules.validate(parsed.name, what: "machine name")
        return try await mutateMachine(parsed.name) { connection in
            let pools = try StorageReader.pools(connection, backend: backend)
            let policy = DefinitionPolicy(poolPaths: pools.compactMap(\.path), poolNames: Set(pools.map(\.name)))
            let xml = try policy.sanitize(xml, ownedPaths: ownedPaths)
            guard let pointer = virDomainDefineXML(connection.pointer, xml) else {
                throw LibvirtError.capture("define", "machine '\(parsed.name)'", connection: connection)
            }
            return try MachineReader.read(DomainHandle(pointer, connection: connection), backend: backend)
        }
    }

    /// Undefines, also removing managed save, snapshot metadata and NVRAM. Drivers without NVRAM
    /// support (the Test driver) reject that flag, so it is retried without it.
    static func undefine(_ domain: DomainHandle) throws(SpecError) {
        let flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE.rawValue | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA.rawValue
        do {
            try domain.check("undefine") { virDomainUndefineFlags($0, flags | VIR_DOMAIN_UNDEFINE_NVRAM.rawValue) }
        } catch  where error.kind == .invalid || error.kind == .unsupported {
            try domain.check("undefine") { virDomainUndefineFlags($0, flags) }
        }
    }

    /// Deletes volumes by host path; returns the errors instead of throwing.
    static func deleteVolumes(atPaths paths: [String], _ connection: LibvirtConnection) -> [SpecError] {
        var failures: [SpecError] = []
        for path in paths {
            guard let volume = VolumeHandle.lookup(path: path, in: connection) else { continue }
            do {
                try volume.check("delete") { virStorageVolDelete($0, 0) }
            } catch {
                failures.append(error)
            }
        }
        return failures
    }

    static func validate(vcpus: Int) throws(SpecError) {
        guard (1...64).contains(vcpus) else { throw SpecError.invalid("vcpus must be between 1 and 64, not \(vcpus)") }
    }

    static func validate(memoryKiB: Int) throws(SpecError) {
        guard (16 * 1024...1024 * 1024 * 1024).contains(memoryKiB) else {
            throw SpecError.invalid("memory must be between 16 MiB and 1 TiB, not \(memoryKiB) KiB")
        }
    }
}
