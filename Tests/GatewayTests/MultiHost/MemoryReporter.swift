import Foundation
import Libvirt
import Spec
import Synchronization

/// A test-driver backend whose host reports a chosen amount of free memory (the Test driver
/// reports none for file-defined nodes), or is unreachable for host queries when `down`.
final class MemoryReporter: Backend {
    let inner: LibvirtBackend
    let freeMiB: Mutex<Int>
    let down = Mutex(false)

    init(_ inner: LibvirtBackend, freeMiB: Int) {
        self.inner = inner
        self.freeMiB = Mutex(freeMiB)
    }

    var name: String { inner.name }
    var kind: String { inner.kind }
    var endpoint: String { inner.endpoint }
    var capabilities: BackendCapabilities { inner.capabilities }
    func health() async -> BackendHealth { await inner.health() }
    func hostInfo() async throws -> HostInfo {
        if down.withLock({ $0 }) { throw SpecError.unavailable("host \(name) is down") }
        var info = try await inner.hostInfo()
        info.freeMemoryKiB = freeMiB.withLock { $0 } * 1024
        return info
    }
    func events() -> AsyncStream<MachineEvent> { inner.events() }
    func machines() async throws -> [Machine] { try await inner.machines() }
    func machine(named name: String) async throws -> Machine { try await inner.machine(named: name) }
    func createMachine(_ spec: MachineSpec) async throws -> Machine { try await inner.createMachine(spec) }
    func updateMachine(named name: String, _ update: MachineUpdate) async throws -> Machine {
        try await inner.updateMachine(named: name, update)
    }
    func perform(_ action: MachineAction, onMachine name: String) async throws -> Machine {
        try await inner.perform(action, onMachine: name)
    }
    func deleteMachine(named name: String, options: DeleteOptions) async throws {
        try await inner.deleteMachine(named: name, options: options)
    }
    func releaseMachine(named name: String) async throws { try await inner.releaseMachine(named: name) }
    func stats(ofMachine name: String) async throws -> MachineStats { try await inner.stats(ofMachine: name) }
    func screenshot(ofMachine name: String) async throws -> Screenshot { try await inner.screenshot(ofMachine: name) }
    func snapshots(ofMachine name: String) async throws -> [Snapshot] { try await inner.snapshots(ofMachine: name) }
    func createSnapshot(ofMachine name: String, _ spec: SnapshotSpec) async throws -> Snapshot {
        try await inner.createSnapshot(ofMachine: name, spec)
    }
    func revertSnapshot(_ snapshot: String, ofMachine name: String) async throws {
        try await inner.revertSnapshot(snapshot, ofMachine: name)
    }
    func deleteSnapshot(_ snapshot: String, ofMachine name: String) async throws {
        try await inner.deleteSnapshot(snapshot, ofMachine: name)
    }
    func attachDisk(_ attachment: DiskAttachment, toMachine name: String) async throws -> Machine {
        try await inner.attachDisk(attachment, toMachine: name)
    }
    func detachDisk(target: String, fromMachine name: String) async throws -> Machine {
        try await inner.detachDisk(target: target, fromMachine: name)
    }
    func storagePools() async throws -> [StoragePool] { try await inner.storagePools() }
    func storagePool(named name: String) async throws -> StoragePool { try await inner.storagePool(named: name) }
    func createStoragePool(_ spec: StoragePoolSpec) async throws -> StoragePool {
        try await inner.createStoragePool(spec)
    }
    func setStoragePool(named name: String, active: Bool) async throws -> StoragePool {
        try await inner.setStoragePool(named: name, active: active)
    }
    func deleteStoragePool(named name: String) async throws { try await inner.deleteStoragePool(named: name) }
    func volumes(inPool pool: String) async throws -> [StorageVolume] { try await inner.volumes(inPool: pool) }
    func volume(named name: String, inPool pool: String) async throws -> StorageVolume {
        try await inner.volume(named: name, inPool: pool)
    }
    func createVolume(_ spec: VolumeSpec, inPool pool: String) async throws -> StorageVolume {
        try await inner.createVolume(spec, inPool: pool)
    }
    func deleteVolume(named name: String, inPool pool: String) async throws {
        try await inner.deleteVolume(named: name, inPool: pool)
    }
    func resizeVolume(named name: String, inPool pool: String, capacityBytes: Int) async throws -> StorageVolume {
        try await inner.resizeVolume(named: name, inPool: pool, capacityBytes: capacityBytes)
    }
    func wipeVolume(named name: String, inPool pool: String) async throws {
        try await inner.wipeVolume(named: name, inPool: pool)
    }
}
