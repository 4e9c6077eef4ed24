internal import CLibvirt
import Foundation
public import Spec

extension LibvirtBackend {
    /// Snapshots of a machine, oldest first.
    public func snapshots(ofMachine name: String) async throws -> [Snapshot] {
        try require(.snapshots, "snapshots")
        let machine = MachineRef(backend: self.name, name: name).id
        return try await run { connection in
            try SnapshotReader.all(of: DomainHandle.lookup(name, in: connection), machine: machine)
        }
    }

    /// Takes an internal snapshot, or an external disk-only one when `diskOnly`.
    public func createSnapshot(ofMachine name: String, _ spec: SnapshotSpec) async throws -> Snapshot {
        try require(.snapshots, "snapshots")
        if spec.diskOnly { try require(.liveDiskSnapshots, "disk-only snapshots") }
        let snapshotName = spec.name ?? "snap-\(Int(Date().timeIntervalSince1970 * 1000))"
        try NameRules.validate(snapshotName, what: "snapshot name")
        let machine = MachineRef(backend: self.name, name: name).id
        let snapshot = try await run { connection in
            let domain = try DomainHandle.lookup(name, in: connection)
            if let existing = virDomainSnapshotLookupByName(domain.pointer, snapshotName, 0) {
                virDomainSnapshotFree(existing)
                throw SpecError.conflict("snapshot '\(snapshotName)' of machine '\(name)' already exists")
            }
            LibvirtError.discard()
            let e = XMLText.escape
            var xml = "<domainsnapshot><name>\(e(snapshotName))</name>"
            if let description = spec.description { xml += "<description>\(e(description))</description>" }
            xml += "</domainsnapshot>"
            let flags =
                spec.diskOnly
                ? VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY.rawValue | VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC.rawValue : 0
            guard let handle = virDomainSnapshotCreateXML(domain.pointer, xml, flags) else {
                throw LibvirtError.capture(
                    "create", "snapshot '\(snapshotName)' of machine '\(name)'", connection: connection)
            }
            defer { virDomainSnapshotFree(handle) }
            return try SnapshotReader.read(handle, domain: domain, machine: machine)
        }
        try await refresh(name)
        return snapshot
    }

    /// Reverts a machine to a snapshot.
    public func revertSnapshot(_ snapshot: String, ofMachine name: String) async throws {
        try require(.snapshots, "snapshots")
        let backend = self.name
        _ = try await mutateMachine(name) { connection in
            let domain = try DomainHandle.lookup(name, in: connection)
            let handle = try SnapshotReader.handle(snapshot, of: domain)
            defer { virDomainSnapshotFree(handle) }
            if virDomainRevertToSnapshot(handle, 0) < 0 {
                throw LibvirtError.capture(
                    "revert to", "snapshot '\(snapshot)' of machine '\(name)'", connection: connection)
            }
            return try MachineReader.read(domain, backend: backend)
        }
    }

    /// Deletes a snapshot (its children are re-parented).
    public func deleteSnapshot(_ snapshot: String, ofMachine name: String) async throws {
        try require(.snapshots, "snapshots")
        try await run { connection in
            let domain = try DomainHandle.lookup(name, in: connection)
            let handle = try SnapshotReader.handle(snapshot, of: domain)
            defer { virDomainSnapshotFree(handle) }
            if virDomainSnapshotDelete(handle, 0) < 0 {
                throw LibvirtError.capture(
                    "delete", "snapshot '\(snapshot)' of machine '\(name)'", connection: connection)
            }
        }
    }
}
