public import Spec

/// Machines merged from several backends, with a warning for each backend that failed.
public struct MachineList: Sendable {
    /// The machines found, sorted by id.
    public var machines: [Machine]
    /// One line per backend that could not be listed.
    public var warnings: [String]

    /// Creates a list.
    public init(machines: [Machine], warnings: [String] = []) {
        self.machines = machines
        self.warnings = warnings
    }
}
