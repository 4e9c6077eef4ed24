/// The power state of a machine, normalized across backends and dialects.
public enum MachineState: String, Sendable, Codable, CaseIterable {
    /// Powered on.
    case running
    /// Virtual CPUs paused.
    case paused
    /// Powered off (defined but not running).
    case shutoff
    /// Stopped by a crash.
    case crashed
    /// Being created, started or shut down; not settled yet.
    case pending
    /// Not reported by the backend.
    case unknown

    /// Whether the machine holds host resources (running or paused).
    public var isActive: Bool { self == .running || self == .paused || self == .pending }
}
