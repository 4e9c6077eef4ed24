internal import CLibvirt
import Foundation
import Spec

/// Reads domain snapshots on a thread-pool thread.
enum SnapshotReader {
    /// All snapshots of a domain, oldest first.
    static func all(of domain: DomainHandle, machine: String) throws(SpecError) -> [Snapshot] {
        var array: UnsafeMutablePointer<OpaquePointer?>?
        let count = virDomainListAllSnapshots(domain.pointer, &array, 0)
        guard count >= 0 else {
            throw LibvirtError.capture(
                "list the snapshots of", "machine '\(domain.name)'", connection: domain.connection)
        }
        let handles = takeHandles(array, count: count)
        defer { handles.forEach { _ = virDomainSnapshotFree($0) } }
        var snapshots: [Snapshot] = []
        for handle in handles {
            snapshots.append(try read(handle, domain: domain, machine: machine))
        }
        return snapshots.sorted { ($0.createdAt, $0.name) < ($1.createdAt, $1.name) }
    }

    /// Looks a snapshot up and reads it.
    static func lookup(_ name: String, of domain: DomainHandle, machine: String) throws(SpecError) -> Snapshot {
        let handle = try handle(name, of: domain)
        defer { virDomainSnapshotFree(handle) }
        return try read(handle, domain: domain, machine: machine)
    }

    /// The raw snapshot handle; the caller frees it.
    static func handle(_ name: String, of domain: DomainHandle) throws(SpecError) -> OpaquePointer {
        guard let handle = virDomainSnapshotLookupByName(domain.pointer, name, 0) else {
            throw LibvirtError.capture(
                "look up", "snapshot '\(name)' of machine '\(domain.name)'", connection: domain.connection)
        }
        return handle
    }

    static func read(_ handle: OpaquePointer, domain: DomainHandle, machine: String) throws(SpecError) -> Snapshot {
        guard let xml = takeString(virDomainSnapshotGetXMLDesc(handle, 0)) else {
            throw LibvirtError.capture("read a snapshot of", "machine '\(domain.name)'", connection: domain.connection)
        }
        guard let root = try XMLText.document(xml, what: "snapshot").rootElement() else {
            throw SpecError.invalid("snapshot XML has no root")
        }
        let current = virDomainSnapshotIsCurrent(handle, 0)
        if current < 0 { LibvirtError.discard() }
        let stateText = root.text("state") ?? ""
        let state: MachineState =
            switch stateText {
            case "running", "blocked": .running
            case "paused", "pmsuspended": .paused
            case "shutoff": .shutoff
            case "crashed": .crashed
            case "shutdown": .pending
            default: .unknown
            }
        return Snapshot(
            name: root.text("name") ?? "", machine: machine,
            createdAt: Date(timeIntervalSince1970: root.text("creationTime").flatMap(Double.init) ?? 0),
            parent: root.text("parent/name"), state: state, description: root.text("description"),
            isCurrent: current == 1, diskOnly: stateText == "disk-snapshot")
    }
}
