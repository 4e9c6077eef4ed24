public import Spec

/// A backend standing in for one on another host: it forwards every call to `inner` but reports
/// every host path (volume paths, backing paths, machine disk paths) under a directory that does
/// not exist on the gateway's host. Code that reads or writes a backend's host paths locally
/// fails against it; code that goes through the backend's API works.
public final class PathHidingBackend: Backend {
    /// The backend doing the work.
    public let inner: any Backend
    /// What every reported path is prefixed with.
    public static let prefix = "/nonexistent-remote-host"

    /// Wraps `inner`.
    public init(_ inner: any Backend) { self.inner = inner }

    public var name: String { inner.name }
    public var kind: String { inner.kind }
    public var endpoint: String { inner.endpoint }
    public var capabilities: BackendCapabilities { inner.capabilities }

    static func hide(_ path: String?) -> String? { path.map { prefix + $0 } }

    static func hide(_ volume: StorageVolume) -> StorageVolume {
        var copy = volume
        copy.path = prefix + volume.path
        copy.backingPath = hide(volume.backingPath)
        return copy
    }

    static func hide(_ machine: Machine) -> Machine {
        var copy = machine
        copy.disks = machine.disks.map { disk in
            var hidden = disk
            hidden.path = hide(disk.path)
            return hidden
        }
        return copy
    }

    public func health() async -> BackendHealth { await inner.health() }
    public func hostInfo() async throws -> HostInfo { try await inner.hostInfo() }
    public func events() -> AsyncStream<MachineEvent> { inner.events() }
    public func machines() async throws -> [Machine] { try await inner.machines().map(Self.hide) }
    public func machine(named name: String) async throws -> Machine { Self.hide(try await inner.machine(named: name)) }
    public func createMachine(_ spec: MachineSpec) async throws -> Machine {
        Self.hide(try await inner.createMachine(spec))
    }
    public func updateMachine(named name: String, _ update: MachineUpdate) async throws -> Machine {
        Self.hide(try await inner.updateMachine(named: name, update))
    }
    public func perform(_ action: MachineAction, onMachine name: String) async throws -> Machine {
        Self.hide(try await inner.perform(action, onMachine: name))
    }
    public func deleteMachine(named name: String, options: DeleteOptions) async throws {
        try await inner.deleteMachine(named: name, options: options)
    }
    public func releaseMachine(named name: String) async throws { try await inner.releaseMachine(named: name) }
    public func stats(ofMachine name: String) async throws -> MachineStats { try await inner.stats(ofMachine: name) }
    public func screenshot(ofMachine name: String) async throws -> Screenshot {
        try await inner.screenshot(ofMachine: name)
    }
    public func snapshots(ofMachine name: String) async throws -> [Snapshot] {
        try await inner.snapshots(ofMachine: name)
    }
    public func createSnapshot(ofMachine name: String, _ spec: SnapshotSpec) async throws -> Snapshot {
        try await inner.createSnapshot(ofMachine: name, spec)
    }
    public func revertSnapshot(_ snapshot: String, ofMachine name: String) async throws {
        try await inner.revertSnapshot(snapshot, ofMachine: name)
    }
    public func deleteSnapshot(_ snapshot: String, ofMachine name: String) async throws {
        try await inner.deleteSnapshot(snapshot, ofMachine: name)
    }
    public func attachDisk(_ attachment: DiskAttachment, toMachine name: String) async throws -> Machine {
        Self.hide(try await inner.attachDisk(attachment, toMachine: name))
    }
    public func detachDisk(target: String, fromMachine name: String) async throws -> Machine {
        Self.hide(try await inner.detachDisk(target: target, fromMachine: name))
    }
    public func storagePools() async throws -> [StoragePool] { try await inner.storagePools() }
    public func storagePool(named name: String) async throws -> StoragePool {
        try await inner.storagePool(named: name)
    }
    public func createStoragePool(_ spec: StoragePoolSpec) async throws -> StoragePool {
        try await inner.createStoragePool(spec)
    }
    public func setStoragePool(named name: String, active: Bool) async throws -> StoragePool {
        try await inner.setStoragePool(named: name, active: active)
    }
    public func deleteStoragePool(named name: String) async throws { try await inner.deleteStoragePool(named: name) }
    public func volumes(inPool pool: String) async throws -> [StorageVolume] {
        try await inner.volumes(inPool: pool).map(Self.hide)
    }
    public func volume(named name: String, inPool pool: String) async throws -> StorageVolume {
        Self.hide(try await inner.volume(named: name, inPool: pool))
    }
    public func createVolume(_ spec: VolumeSpec, inPool pool: String) async throws -> StorageVolume {
        Self.hide(try await inner.createVolume(spec, inPool: pool))
    }
    public func deleteVolume(named name: String, inPool pool: String) async throws {
        try await inner.deleteVolume(named: name, inPool: pool)
    }
    public func resizeVolume(named name: String, inPool pool: String, capacityBytes: Int) async throws
        -> StorageVolume
    {
        Self.hide(try await inner.resizeVolume(named: name, inPool: pool, capacityBytes: capacityBytes))
    }
    public func wipeVolume(named name: String, inPool pool: String) async throws {
        try await inner.wipeVolume(named: name, inPool: pool)
    }
    public func uploadVolume(named name: String, inPool pool: String, from image: ImageFile) async throws
        -> StorageVolume
    {
        Self.hide(try await inner.uploadVolume(named: name, inPool: pool, from: image))
    }
    public func writeVolume(named name: String, inPool pool: String, from image: ImageFile) async throws
        -> StorageVolume
    {
        Self.hide(try await inner.writeVolume(named: name, inPool: pool, from: image))
    }
    public func copyDisk(_ target: String, ofMachine name: String, toVolume volume: String, inPool pool: String)
        async throws -> StorageVolume
    {
        Self.hide(try await inner.copyDisk(target, ofMachine: name, toVolume: volume, inPool: pool))
    }
}
