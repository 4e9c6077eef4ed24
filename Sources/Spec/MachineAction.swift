/// Power actions on a machine.
public enum MachineAction: String, Sendable, Codable, CaseIterable {
    /// Power on (or define and power on).
    case start
    /// Graceful ACPI shutdown; the guest may ignore it.
    case shutdown
    /// Forced power off.
    case poweroff
    /// Hard reset without guest shutdown.
    case reset
    /// Graceful reboot.
    case reboot
    /// Pause the virtual CPUs.
    case suspend
    /// Resume paused virtual CPUs.
    case resume

    /// The states in which the action makes sense.
    public var allowedFrom: Set<MachineState> {
        switch self {
        case .start: [.shutoff, .crashed]
        case .shutdown, .reboot: [.running]
        case .poweroff: [.running, .paused, .pending, .crashed]
        case .reset: [.running, .paused]
        case .suspend: [.running]
        case .resume: [.paused]
        }
    }
}

/// Options for deleting a machine.
public struct DeleteOptions: Sendable, Codable, Hashable {
    /// Also delete disks vmgate created for the machine.
    public var removeOwnedDisks: Bool
    /// Power off a running machine first instead of refusing.
    public var force: Bool

    /// Creates delete options.
    public init(removeOwnedDisks: Bool = true, force: Bool = true) {
        self.removeOwnedDisks = removeOwnedDisks
        self.force = force
    }
}
