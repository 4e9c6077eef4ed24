public import Spec

extension Fleet {
    /// Snapshots of a machine.
    public func snapshots(of id: String) async throws -> [Snapshot] {
        try await onMachine(id, "snapshots") { backend, name in
            try backend.require(.snapshots, "snapshots")
            return try await backend.snapshots(ofMachine: name)
        }
    }

    /// Takes a snapshot; a disk-only snapshot of a running machine needs `.liveDiskSnapshots`.
    public func createSnapshot(of id: String, _ spec: SnapshotSpec) async throws -> Snapshot {
        if let name = spec.name { try NameRules.validate(name, what: "snapshot name") }
        if let description = spec.description { try NameRules.validateText(description, what: "snapshot description") }
        return try await onMachine(id, "createSnapshot") { backend, name in
            try backend.require(.snapshots, "snapshots")
            if spec.diskOnly { try backend.require(.liveDiskSnapshots, "disk-only snapshots") }
            return try await backend.createSnapshot(ofMachine: name, spec)
        }
    }

    /// Reverts a machine to one of its own snapshots.
    public func revertSnapshot(_ snapshot: String, of id: String) async throws -> Machine {
        try await onMachine(id, "revertSnapshot") { backend, name in
            try backend.require(.snapshots, "snapshots")
            try await backend.revertSnapshot(snapshot, ofMachine: name)
            return try await backend.machine(named: name)
        }
    }

    /// Deletes a snapshot.
    public func deleteSnapshot(_ snapshot: String, of id: String) async throws {
        try await onMachine(id, "deleteSnapshot") { backend, name in
            try backend.require(.snapshots, "snapshots")
            try await backend.deleteSnapshot(snapshot, ofMachine: name)
        }
    }

    /// Attaches a volume to a machine.
    public func attachDisk(_ attachment: DiskAttachment, to id: String) async throws -> Machine {
        try await onMachine(id, "attachDisk") { backend, name in
            try backend.require(.diskAttach, "attaching disks")
            return try await backend.attachDisk(attachment, toMachine: name)
        }
    }

    /// Detaches the disk with guest device `target`.
    public func detachDisk(target: String, from id: String) async throws -> Machine {
        try await onMachine(id, "detachDisk") { backend, name in
            try backend.require(.diskAttach, "detaching disks")
            return try await backend.detachDisk(target: target, fromMachine: name)
        }
    }
}
