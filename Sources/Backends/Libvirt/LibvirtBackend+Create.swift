public import Spec

extension LibvirtBackend {
    /// Validates the spec, creates its volumes, defines the machine and optionally starts it.
    /// Nothing half-created stays behind on failure.
    public func createMachine(_ spec: MachineSpec) async throws -> Machine {
        try NameRules.validate(spec.name, what: "machine name")
        try Self.validate(vcpus: spec.vcpus)
        try Self.validate(memoryKiB: spec.memoryKiB)
        for nic in spec.nics where nic.sourceType != "network" && nic.sourceType != "bridge" {
            throw SpecError.invalid("NIC source type must be 'network' or 'bridge', not '\(nic.sourceType)'")
        }
        if let graphics = spec.graphics, graphics != "vnc", graphics != "spice" {
            throw SpecError.invalid("graphics must be 'vnc' or 'spice', not '\(graphics)'")
        }
        if cache.machine(named: spec.name) != nil {
            throw SpecError.conflict("machine '\(spec.name)' already exists")
        }
        let backend = name
        let configured = configuration
        return try await mutateMachine(spec.name) { connection in
            let type = configured.domainType ?? (connection.driverType().uppercased() == "TEST" ? "test" : "qemu")
            let builder = MachineBuilder(
                connection: connection, spec: spec, domainType: type, emulator: configured.emulator,
                defaultPool: configured.defaultPool)
            return try MachineReader.read(builder.build(), backend: backend)
        }
    }
}
