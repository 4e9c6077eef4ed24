public import Foundation

/// A machine snapshot.
public struct Snapshot: Sendable, Codable, Hashable {
    /// Snapshot name, unique per machine.
    public var name: String
    /// The machine it belongs to (`backend:name`).
    public var machine: String
    /// When it was taken.
    public var createdAt: Date
    /// Parent snapshot name, or nil.
    public var parent: String?
    /// The machine's state when taken.
    public var state: MachineState
    /// Free text.
    public var description: String?
    /// Whether it is the machine's current snapshot.
    public var isCurrent: Bool
    /// Disk-only external snapshot (vs. internal full snapshot).
    public var diskOnly: Bool

    /// Creates a snapshot description.
    public init(
        name: String, machine: String, createdAt: Date, parent: String? = nil, state: MachineState,
        description: String? = nil, isCurrent: Bool = false, diskOnly: Bool = false
    ) {
        self.name = name
        self.machine = machine
        self.createdAt = createdAt
        self.parent = parent
        self.state = state
        self.description = description
        self.isCurrent = isCurrent
        self.diskOnly = diskOnly
    }
}

/// Parameters for a new snapshot.
public struct SnapshotSpec: Sendable, Codable, Hashable {
    /// Name; nil lets the backend choose.
    public var name: String?
    /// Free text.
    public var description: String?
    /// Take an external disk-only snapshot (needed for running machines on some backends).
    public var diskOnly: Bool

    /// Creates a snapshot spec.
    public init(name: String? = nil, description: String? = nil, diskOnly: Bool = false) {
        self.name = name
        self.description = description
        self.diskOnly = diskOnly
    }
}
