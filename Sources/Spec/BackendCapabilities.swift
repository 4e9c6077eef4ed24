/// Optional features a backend offers. Dialect routes whose capability is missing answer
/// "not implemented" in their own error format instead of calling the backend.
public struct BackendCapabilities: OptionSet, Sendable, Codable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Snapshot create/list/revert/delete.
    public static let snapshots = BackendCapabilities(rawValue: 1 << 0)
    /// External disk-only snapshots of running machines.
    public static let liveDiskSnapshots = BackendCapabilities(rawValue: 1 << 1)
    /// Screenshots of the primary display.
    public static let screenshots = BackendCapabilities(rawValue: 1 << 2)
    /// Serial console streams.
    public static let serialConsole = BackendCapabilities(rawValue: 1 << 3)
    /// Attach/detach disks.
    public static let diskAttach = BackendCapabilities(rawValue: 1 << 4)
    /// Storage pools and volumes.
    public static let storage = BackendCapabilities(rawValue: 1 << 5)
    /// Copy-on-write overlay clones of template images.
    public static let overlayClone = BackendCapabilities(rawValue: 1 << 6)
    /// Lifecycle events pushed by the backend.
    public static let events = BackendCapabilities(rawValue: 1 << 7)
    /// CPU/network/disk counters.
    public static let stats = BackendCapabilities(rawValue: 1 << 8)
    /// Create and remove storage pools.
    public static let poolManagement = BackendCapabilities(rawValue: 1 << 9)
    /// Volume resize and wipe.
    public static let volumeMaintenance = BackendCapabilities(rawValue: 1 << 10)
    /// Change vCPUs and memory of a shut-off machine.
    public static let hardwareUpdate = BackendCapabilities(rawValue: 1 << 11)

    /// Names of the flags, for APIs and logs.
    public var names: [String] {
        Self.named.filter { contains($0.1) }.map(\.0)
    }

    static let named: [(String, BackendCapabilities)] = [
        ("snapshots", .snapshots), ("liveDiskSnapshots", .liveDiskSnapshots), ("screenshots", .screenshots),
        ("serialConsole", .serialConsole), ("diskAttach", .diskAttach), ("storage", .storage),
        ("overlayClone", .overlayClone), ("events", .events), ("stats", .stats),
        ("poolManagement", .poolManagement), ("volumeMaintenance", .volumeMaintenance),
        ("hardwareUpdate", .hardwareUpdate),
    ]
}
