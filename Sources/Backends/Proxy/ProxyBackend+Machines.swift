import Foundation
public import Spec

extension ProxyBackend {
    /// Path of machine `name`.
    func machinePath(_ name: String, _ rest: String = "") -> String {
        "/machines/" + ProxyWire.segment(name) + rest
    }

    /// The upstream machine as this backend's machine.
    func local(_ machine: Machine) -> Machine {
        var copy = machine
        copy.backend = name
        return copy
    }

    func local(_ snapshot: Snapshot, machine: String) -> Snapshot {
        var copy = snapshot
        copy.machine = MachineRef(backend: name, name: machine).id
        return copy
    }

    /// All machines of the upstream backend.
    public func machines() async throws -> [Machine] {
        let list: [Machine] = try await get("/machines")
        return list.map(local)
    }

    /// One machine.
    public func machine(named name: String) async throws -> Machine {
        local(try await get(machinePath(name)))
    }

    /// Creates a machine upstream.
    public func createMachine(_ spec: MachineSpec) async throws -> Machine {
        local(try await send("POST", "/machines", json: spec))
    }

    /// Changes hardware or metadata.
    public func updateMachine(named name: String, _ update: MachineUpdate) async throws -> Machine {
        local(try await send("PATCH", machinePath(name), json: update))
    }

    /// Runs a power action.
    public func perform(_ action: MachineAction, onMachine name: String) async throws -> Machine {
        let response = try await call("POST", machinePath(name, "/actions/" + action.rawValue), body: [])
        return local(try decode(Machine.self, response))
    }

    /// Deletes a machine.
    public func deleteMachine(named name: String, options: DeleteOptions) async throws {
        let query = "?removeOwnedDisks=\(options.removeOwnedDisks)&force=\(options.force)"
        _ = try await call("DELETE", machinePath(name) + query)
    }

    /// Removes the machine from the upstream host but keeps its disks.
    public func releaseMachine(named name: String) async throws {
        _ = try await call("POST", machinePath(name, "/release"), body: [])
    }

    /// The upstream's persistent definition of the machine.
    public func domainXML(named name: String) async throws -> String {
        String(decoding: try await call("GET", machinePath(name, "/definition")).body, as: UTF8.self)
    }

    /// Defines a machine from a kept definition.
    public func defineMachine(xml: String, ownedPaths: [String]) async throws -> Machine {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        let query = ownedPaths.map { "ownedPath=" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0) }
        let path = "/definitions" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let response = try await call("POST", path, body: Array(xml.utf8), contentType: "application/xml")
        return local(try decode(Machine.self, response))
    }

    /// Serial consoles are not forwarded.
    public func openConsole(ofMachine name: String) async throws -> any ConsoleStream {
        throw SpecError.unsupported("backend '\(self.name)' (proxy) does not forward serial consoles")
    }

    /// Cumulative counters.
    public func stats(ofMachine name: String) async throws -> MachineStats {
        try await need(.stats, "statistics")
        return try await get(machinePath(name, "/stats"))
    }

    /// The primary display image as the upstream backend produced it.
    public func screenshot(ofMachine name: String) async throws -> Screenshot {
        try await need(.screenshots, "screenshots")
        let response = try await call("GET", machinePath(name, "/screenshot"))
        return Screenshot(mimeType: response.contentType ?? "application/octet-stream", data: response.body)
    }

    // MARK: Snapshots

    /// Snapshots of a machine.
    public func snapshots(ofMachine name: String) async throws -> [Snapshot] {
        try await need(.snapshots, "snapshots")
        let list: [Snapshot] = try await get(machinePath(name, "/snapshots"))
        return list.map { local($0, machine: name) }
    }

    /// Takes a snapshot.
    public func createSnapshot(ofMachine name: String, _ spec: SnapshotSpec) async throws -> Snapshot {
        try await need(.snapshots, "snapshots")
        return local(try await send("POST", machinePath(name, "/snapshots"), json: spec), machine: name)
    }

    /// Reverts to a snapshot.
    public func revertSnapshot(_ snapshot: String, ofMachine name: String) async throws {
        try await need(.snapshots, "snapshots")
        _ = try await call("POST", machinePath(name, "/snapshots/" + ProxyWire.segment(snapshot) + "/revert"), body: [])
    }

    /// Deletes a snapshot.
    public func deleteSnapshot(_ snapshot: String, ofMachine name: String) async throws {
        try await need(.snapshots, "snapshots")
        _ = try await call("DELETE", machinePath(name, "/snapshots/" + ProxyWire.segment(snapshot)))
    }

    // MARK: Disks

    /// Attaches a volume.
    public func attachDisk(_ attachment: DiskAttachment, toMachine name: String) async throws -> Machine {
        try await need(.diskAttach, "disk attach")
        return local(try await send("POST", machinePath(name, "/disks"), json: attachment))
    }

    /// Detaches a disk.
    public func detachDisk(target: String, fromMachine name: String) async throws -> Machine {
        try await need(.diskAttach, "disk detach")
        let response = try await call("DELETE", machinePath(name, "/disks/" + ProxyWire.segment(target)))
        return local(try decode(Machine.self, response))
    }
}
