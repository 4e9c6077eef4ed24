public import Spec

/// Machines merged from several backends, with a warning for each backend that failed.
public struct MachineList: Sendable {
    /// The machines found, sorted by id.
    public var machines: [Machine]
    /// One line per backend that could not be listed.
    public var warnings: [String]
    /// Changes whenever the list may have changed; nil when some backend cannot tell.
    /// Dialects key cached responses on it (see `ResponseCache`).
    public var version: String?

    /// Creates a list.
    public init(machines: [Machine], warnings: [String] = [], version: String? = nil) {
        self.machines = machines
        self.warnings = warnings
        self.version = version
    }
}
