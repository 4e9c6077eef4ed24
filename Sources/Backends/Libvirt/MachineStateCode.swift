internal import CLibvirt
import Spec

/// A libvirt `virDomainState` value with its mapping onto ``MachineState``.
struct MachineStateCode: Sendable, Equatable {
    let raw: Int32

    /// The normalized state.
    var state: MachineState {
        switch UInt32(bitPattern: raw) {
        case VIR_DOMAIN_RUNNING.rawValue, VIR_DOMAIN_BLOCKED.rawValue: .running
        case VIR_DOMAIN_PAUSED.rawValue, VIR_DOMAIN_PMSUSPENDED.rawValue: .paused
        case VIR_DOMAIN_SHUTOFF.rawValue: .shutoff
        case VIR_DOMAIN_CRASHED.rawValue: .crashed
        case VIR_DOMAIN_SHUTDOWN.rawValue: .pending
        default: .unknown
        }
    }

    /// Whether the domain holds host resources (libvirt's notion of active).
    var isActive: Bool {
        let state = state
        return state == .running || state == .paused || state == .pending
    }
}
