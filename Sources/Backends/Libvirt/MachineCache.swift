import Spec
import Synchronization

/// The in-memory view of a backend's machines that `machines()` and `machine(named:)` read.
///
/// Writers take a ticket *before* they read from libvirt; a write only lands if no write with a
/// later ticket has landed for that name, so a slow, stale read never overwrites a fresher one.
final class MachineCache: Sendable {
    private struct State {
        var machines: [String: Machine] = [:]
        var tickets: [String: UInt64] = [:]
        var nextTicket: UInt64 = 1
        var sorted: [Machine]?
        var version: UInt64 = 1
    }

    private let state = Mutex(State())

    /// A ticket ordering a read that is about to start.
    func ticket() -> UInt64 {
        state.withLock { state in
            defer { state.nextTicket += 1 }
            return state.nextTicket
        }
    }

    /// All machines, by name.
    func all() -> [Machine] {
        state.withLock { state in
            if let sorted = state.sorted { return sorted }
            let sorted = state.machines.values.sorted { $0.name < $1.name }
            state.sorted = sorted
            return sorted
        }
    }

    /// All machines with the cache's version, which changes whenever a machine does.
    func snapshot() -> (version: UInt64, machines: [Machine]) {
        state.withLock { state in
            if state.sorted == nil { state.sorted = state.machines.values.sorted { $0.name < $1.name } }
            return (state.version, state.sorted ?? [])
        }
    }

    /// One machine, if cached.
    func machine(named name: String) -> Machine? {
        state.withLock { $0.machines[name] }
    }

    /// Stores the result of a read of `name` (`nil`: the machine is gone).
    func store(_ machine: Machine?, named name: String, ticket: UInt64) {
        state.withLock { state in
            Self.apply(machine, named: name, ticket: ticket, to: &state)
        }
    }

    /// Replaces everything with the result of a full listing.
    func replaceAll(_ machines: [Machine], ticket: UInt64) {
        state.withLock { state in
            let fresh = Dictionary(machines.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for name in state.machines.keys where fresh[name] == nil {
                Self.apply(nil, named: name, ticket: ticket, to: &state)
            }
            for (name, machine) in fresh {
                Self.apply(machine, named: name, ticket: ticket, to: &state)
            }
        }
    }

    /// Forgets everything (on close).
    func clear() {
        state.withLock { state in
            state.machines = [:]
            state.sorted = nil
            state.version += 1
        }
    }

    private static func apply(_ machine: Machine?, named name: String, ticket: UInt64, to state: inout State) {
        guard ticket > state.tickets[name, default: 0] else { return }
        state.tickets[name] = ticket
        if state.machines[name] != machine {
            state.machines[name] = machine
            state.sorted = nil
            state.version += 1
        }
    }
}
