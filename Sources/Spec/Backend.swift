/// A place machines live: a libvirt connection, another gateway behind a proxy.
///
/// Every method is async and may throw ``SpecError``. Optional features are announced in
/// ``capabilities``; callers check them first, and a backend that is asked anyway throws
/// `SpecError.unsupported`.
public protocol Backend: Sendable {
    /// Name from configuration, unique in the gateway; the prefix of machine ids.
    var name: String { get }
    /// Kind of backend (`libvirt`, `proxy`).
    var kind: String { get }
    /// Where it points, credentials redacted.
    var endpoint: String { get }
    /// What it can do.
    var capabilities: BackendCapabilities { get }

    /// Health as of the last call or probe.
    func health() async -> BackendHealth
    /// Host capacity.
    func hostInfo() async throws -> HostInfo
    /// Lifecycle events of this backend's machines, for as long as the caller iterates.
    func events() -> AsyncStream<MachineEvent>

    // MARK: Machines
    /// All machines.
    func machines() async throws -> [Machine]
    /// All machines with a change version (see ``MachineSnapshot``).
    func machineSnapshot() async throws -> MachineSnapshot
    /// One machine by name.
    func machine(named name: String) async throws -> Machine
    /// Creates (and optionally starts) a machine.
    func createMachine(_ spec: MachineSpec) async throws -> Machine
    /// Changes hardware or metadata.
    func updateMachine(named name: String, _ update: MachineUpdate) async throws -> Machine
    /// Runs a power action and returns the machine afterwards.
    func perform(_ action: MachineAction, onMachine name: String) async throws -> Machine
    /// Deletes a machine.
    func deleteMachine(named name: String, options: DeleteOptions) async throws
    /// Removes the machine from the host but keeps its disks (and a record of its definition).
    func releaseMachine(named name: String) async throws
    /// The machine's persistent definition in the backend's own format (libvirt: domain XML),
    /// to keep before ``releaseMachine(named:)`` and pass to ``defineMachine(xml:ownedPaths:)`` later.
    func domainXML(named name: String) async throws -> String
    /// Defines (without starting) a machine from a definition kept from ``domainXML(named:)``.
    ///
    /// The definition must pass the backend's definition policy (disks only from its pools, no
    /// host devices or host paths); `ownedPaths` are the disk images the gateway's own records say
    /// it created for the machine (deleted with it). Ownership written in the definition itself is
    /// ignored.
    func defineMachine(xml: String, ownedPaths: [String]) async throws -> Machine
    /// Opens the machine's serial console as a byte stream (requires `.serialConsole`).
    func openConsole(ofMachine name: String) async throws -> any ConsoleStream
    /// Cumulative counters.
    func stats(ofMachine name: String) async throws -> MachineStats
    /// Primary display image (requires `.screenshots`).
    func screenshot(ofMachine name: String) async throws -> Screenshot

    // MARK: Snapshots (require `.snapshots`)
    /// Snapshots of a machine.
    func snapshots(ofMachine name: String) async throws -> [Snapshot]
    /// Takes a snapshot.
    func createSnapshot(ofMachine name: String, _ spec: SnapshotSpec) async throws -> Snapshot
    /// Reverts the machine to a snapshot.
    func revertSnapshot(_ snapshot: String, ofMachine name: String) async throws
    /// Deletes a snapshot.
    func deleteSnapshot(_ snapshot: String, ofMachine name: String) async throws

    // MARK: Disks (require `.diskAttach`)
    /// Attaches a volume; returns the machine afterwards.
    func attachDisk(_ attachment: DiskAttachment, toMachine name: String) async throws -> Machine
    /// Detaches the disk with guest device `target`.
    func detachDisk(target: String, fromMachine name: String) async throws -> Machine

    // MARK: Storage (require `.storage`)
    /// All pools.
    func storagePools() async throws -> [StoragePool]
    /// One pool.
    func storagePool(named name: String) async throws -> StoragePool
    /// Defines and starts a pool (requires `.poolManagement`).
    func createStoragePool(_ spec: StoragePoolSpec) async throws -> StoragePool
    /// Activates or deactivates a pool.
    func setStoragePool(named name: String, active: Bool) async throws -> StoragePool
    /// Removes a pool definition (requires `.poolManagement`).
    func deleteStoragePool(named name: String) async throws
    /// Volumes of a pool.
    func volumes(inPool pool: String) async throws -> [StorageVolume]
    /// One volume.
    func volume(named name: String, inPool pool: String) async throws -> StorageVolume
    /// Creates a volume (blank or overlay).
    func createVolume(_ spec: VolumeSpec, inPool pool: String) async throws -> StorageVolume
    /// Deletes a volume.
    func deleteVolume(named name: String, inPool pool: String) async throws
    /// Grows or shrinks a volume (requires `.volumeMaintenance`).
    func resizeVolume(named name: String, inPool pool: String, capacityBytes: Int) async throws -> StorageVolume
    /// Overwrites a volume's contents with zeros (requires `.volumeMaintenance`).
    func wipeVolume(named name: String, inPool pool: String) async throws
    /// Creates volume `name` in `image.format` holding exactly the bytes of `image`, a file on the
    /// gateway's host (inspected, or built, by the gateway), streamed in chunks with bounded memory;
    /// the volume is removed again when the transfer fails (requires `.volumeMaintenance`).
    func uploadVolume(named name: String, inPool pool: String, from image: ImageFile) async throws -> StorageVolume
    /// Overwrites existing volume `name` from its first byte with the bytes of `image` (a file on
    /// the gateway's host, in the volume's format), growing the volume when the image is larger;
    /// bytes past the image keep their old contents (requires `.volumeMaintenance`).
    func writeVolume(named name: String, inPool pool: String, from image: ImageFile) async throws -> StorageVolume
    /// Copies the disk with guest device `target` of a machine into new standalone volume
    /// `volume` of `pool` on the backend's own host: a qcow2 image with the whole backing chain
    /// flattened into it, consistent as of the call even while the machine runs. The gateway
    /// never reads the disk itself, so this works for remote hosts (requires `.volumeMaintenance`).
    func copyDisk(_ target: String, ofMachine name: String, toVolume volume: String, inPool pool: String)
        async throws -> StorageVolume
}

extension Backend {
    /// Default for backends that cannot hand out their definitions: `unsupported`.
    public func domainXML(named name: String) async throws -> String {
        throw SpecError.unsupported("backend '\(self.name)' cannot export machine definitions")
    }

    /// Default for backends that cannot define machines from a kept definition: `unsupported`.
    public func defineMachine(xml: String, ownedPaths: [String]) async throws -> Machine {
        throw SpecError.unsupported("backend '\(self.name)' cannot define machines from a definition")
    }

    /// Default for backends without `.serialConsole`: `unsupported`.
    public func openConsole(ofMachine name: String) async throws -> any ConsoleStream {
        throw SpecError.unsupported("backend '\(self.name)' does not offer serial consoles")
    }

    /// Default for backends that cannot upload images: `unsupported`.
    public func uploadVolume(named name: String, inPool pool: String, from image: ImageFile) async throws
        -> StorageVolume
    {
        throw SpecError.unsupported("backend '\(self.name)' does not accept volume uploads")
    }

    /// Default for backends that cannot write volumes: `unsupported`.
    public func writeVolume(named name: String, inPool pool: String, from image: ImageFile) async throws
        -> StorageVolume
    {
        throw SpecError.unsupported("backend '\(self.name)' cannot write volume contents")
    }

    /// Default for backends that cannot copy disks: `unsupported`.
    public func copyDisk(_ target: String, ofMachine name: String, toVolume volume: String, inPool pool: String)
        async throws -> StorageVolume
    {
        throw SpecError.unsupported("backend '\(self.name)' cannot copy machine disks")
    }

    /// Throws `unsupported` unless the backend has `capability`.
    public func require(_ capability: BackendCapabilities, _ what: String) throws {
        guard capabilities.contains(capability) else {
            throw SpecError.unsupported("backend '\(name)' does not support \(what)")
        }
    }
}

/// A two-way byte stream to a machine's serial console, open until ``close()``.
public protocol ConsoleStream: Sendable {
    /// The next bytes the console produced, waiting for some; nil once the stream has ended.
    func read() async throws -> [UInt8]?
    /// Sends bytes to the console (keystrokes).
    func write(_ bytes: [UInt8]) async throws
    /// Closes the stream; later reads return nil.
    func close() async
}

/// A backend's machines together with a version that changes whenever any machine changes,
/// so callers can reuse work (encoded responses) while the version stays the same.
public struct MachineSnapshot: Sendable {
    /// Changes with every change of the list; nil when the backend cannot tell.
    public var version: UInt64?
    /// The machines.
    public var machines: [Machine]

    /// Creates a snapshot.
    public init(version: UInt64?, machines: [Machine]) {
        self.version = version
        self.machines = machines
    }
}

extension Backend {
    /// Backends that keep no versioned cache answer with an unversioned snapshot.
    public func machineSnapshot() async throws -> MachineSnapshot {
        MachineSnapshot(version: nil, machines: try await machines())
    }
}
