import GatewayCore
import Spec

/// A VM of a cluster: defined on a host, or released with its definition in the store.
enum CometMember: Sendable {
    case live(Machine)
    case released(CometReleasedRecord)

    var name: String {
        switch self {
        case .live(let machine): machine.name
        case .released(let record): record.name
        }
    }

    var backend: String {
        switch self {
        case .live(let machine): machine.backend
        case .released(let record): record.backend
        }
    }

    var id: String { MachineRef(backend: backend, name: name).id }

    /// `running`, `paused` or `shutoff` (a released VM is shut off).
    var state: String {
        guard case .live(let machine) = self else { return "shutoff" }
        switch machine.state {
        case .running, .pending: return "running"
        case .paused: return "paused"
        case .shutoff, .crashed, .unknown: return "shutoff"
        }
    }

    var isActive: Bool {
        guard case .live(let machine) = self else { return false }
        return machine.state.isActive
    }

    var isReleased: Bool {
        if case .released = self { return true }
        return false
    }
}
