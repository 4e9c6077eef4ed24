public import Spec

extension Fleet {
    /// A machine removed from its host with its disks kept: what is needed to define it again.
    public struct ReleasedMachine: Sendable, Codable, Hashable {
        /// The machine as it was just before release.
        public var machine: Machine
        /// Its persistent definition in the backend's format.
        public var definition: String
    }

    /// Removes a shut-off machine from its host but keeps its disks in storage; returns the
    /// definition to keep for ``defineMachine(_:on:)``. `conflict` unless the machine is shut off.
    public func releaseMachine(_ id: String) async throws -> ReleasedMachine {
        let released = try await onMachine(id, "releaseMachine") { backend, name in
            let machine = try await backend.machine(named: name)
            guard machine.state == .shutoff || machine.state == .crashed else {
                throw SpecError.conflict(
                    "machine '\(name)' is \(machine.state.rawValue); shut it off before releasing it")
            }
            let definition = try await backend.domainXML(named: name)
            try await backend.releaseMachine(named: name)
            return ReleasedMachine(machine: machine, definition: definition)
        }
        logger.info("machine released", metadata: ["vmgate.machine": "\(released.machine.id)"])
        return released
    }

    /// Defines a released machine again on `backend` (without starting it); `disks` are the
    /// machine's disks as the gateway recorded them, whose `ownedByGateway` flags say which images
    /// are deleted with the machine.
    public func defineMachine(_ definition: String, disks: [MachineDisk], on backend: String) async throws -> Machine {
        let target = try backends.backend(backend)
        let owned = disks.filter(\.ownedByGateway).compactMap(\.path)
        return try await call(target, "defineMachine") {
            try await $0.defineMachine(xml: definition, ownedPaths: owned)
        }
    }

    /// Opens the serial console of a running machine; the caller must ``ConsoleStream/close()`` it.
    public func openConsole(_ id: String) async throws -> any ConsoleStream {
        try await onMachine(id, "openConsole") { backend, name in
            try backend.require(.serialConsole, "serial consoles")
            return try await backend.openConsole(ofMachine: name)
        }
    }
}
