import Foundation
public import Spec

/// A programming error as a backend might hit one: not a ``SpecError``, and with a
/// description that must reach the log but never a client.
public struct InjectedFault: Error, CustomStringConvertible {
    /// Text that only the log may contain.
    public static let secret = "index 7 out of range in FaultyBackend.swift:42"
    public var description: String { Self.secret }
    public init() {}
}

/// A backend whose every call fails with an ``InjectedFault`` (it claims every capability, so
/// each route reaches it), for tests of how the gateway reports its own faults.
public struct FaultyBackend: Backend {
    public let name: String
    public let kind = "faulty"
    public let endpoint = "faulty://"
    public let capabilities = BackendCapabilities(rawValue: 0xFFF)

    /// Creates the backend.
    public init(name: String = "faulty") { self.name = name }

    public func health() async -> BackendHealth { BackendHealth(healthy: true) }
    public func hostInfo() async throws -> HostInfo { throw InjectedFault() }
    public func events() -> AsyncStream<MachineEvent> { AsyncStream { $0.finish() } }
    public func machines() async throws -> [Machine] { throw InjectedFault() }
    public func machine(named name: String) async throws -> Machine { throw InjectedFault() }
    public func createMachine(_ spec: MachineSpec) async throws -> Machine { throw InjectedFault() }
    public func updateMachine(named name: String, _ update: MachineUpdate) async throws -> Machine {
        throw InjectedFault()
    }
    public func perform(_ action: MachineAction, onMachine name: String) async throws -> Machine {
        throw InjectedFault()
    }
    public func deleteMachine(named name: String, options: DeleteOptions) async throws { throw InjectedFault() }
    public func releaseMachine(named name: String) async throws { throw InjectedFault() }
    public func stats(ofMachine name: String) async throws -> MachineStats { throw InjectedFault() }
    public func screenshot(ofMachine name: String) async throws -> Screenshot { throw InjectedFault() }
    public func snapshots(ofMachine name: String) async throws -> [Snapshot] { throw InjectedFault() }
    public func createSnapshot(ofMachine name: String, _ spec: SnapshotSpec) async throws -> Snapshot {
        throw InjectedFault()
    }
    public func revertSnapshot(_ snapshot: String, ofMachine name: String) async throws { throw InjectedFault() }
    public func deleteSnapshot(_ snapshot: String, ofMachine name: String) async throws { throw InjectedFault() }
    public func attachDisk(_ attachment: DiskAttachment, toMachine name: String) async throws -> Machine {
        throw InjectedFault()
    }
    public func detachDisk(target: String, fromMachine name: String) async throws -> Machine {
        throw InjectedFault()
    }
    public func storagePools() async throws -> [StoragePool] { throw InjectedFault() }
    public func storagePool(named name: String) async throws -> StoragePool { throw InjectedFault() }
    public func createStoragePool(_ spec: StoragePoolSpec) async throws -> StoragePool { throw InjectedFault() }
    public func setStoragePool(named name: String, active: Bool) async throws -> StoragePool {
        throw InjectedFault()
    }
    public func deleteStoragePool(named name: String) async throws { throw InjectedFault() }
    public func volumes(inPool pool: String) async throws -> [StorageVolume] { throw InjectedFault() }
    public func volume(named name: String, inPool pool: String) async throws -> StorageVolume {
        throw InjectedFault()
    }
    public func createVolume(_ spec: VolumeSpec, inPool pool: String) async throws -> StorageVolume {
        throw InjectedFault()
    }
    public func deleteVolume(named name: String, inPool pool: String) async throws { throw InjectedFault() }
    public func resizeVolume(named name: String, inPool pool: String, capacityBytes: Int) async throws
        -> StorageVolume
    { throw InjectedFault() }
    public func wipeVolume(named name: String, inPool pool: String) async throws { throw InjectedFault() }
}
