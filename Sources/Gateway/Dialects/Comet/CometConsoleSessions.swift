import Spec

/// The serial-console sessions the gateway holds, one per machine: a second attach is refused
/// (409) unless it asks for `force`, which ends the current session first.
actor CometConsoleSessions {
    /// A granted attach: give it back with ``release(_:)``.
    struct Claim: Sendable, Hashable {
        let machine: String
        let serial: UInt64
    }

    private struct Session {
        var serial: UInt64
        var console: (any ConsoleStream)?
        /// The user holding the console (nil: the gateway itself, with `auth: none`).
        var holder: String?
    }

    private var sessions: [String: Session] = [:]
    private var nextSerial: UInt64 = 0

    /// Whether `machine`'s console is held by a session of this gateway.
    func inUse(_ machine: String) -> Bool { sessions[machine] != nil }

    /// Whether `machine`'s console is still held after waiting up to `grace` for its session to end
    /// (a client that just closed its socket, whose bridge is still winding down, does not block a
    /// reconnect).
    nonisolated func inUse(_ machine: String, grace: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while await inUse(machine) {
            guard clock.now < deadline else { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return false
    }

    /// The decision for an attach: allowed when the console is free, or when the caller forces
    /// and may take it over (see ``mayTakeOver(_:from:)``).
    static func allows(inUse: Bool, force: Bool, mayTakeOver: Bool = true) -> Bool { !inUse || force && mayTakeOver }

    /// Whether `principal` may force `machine`'s console away from its current session: the
    /// same user, an admin, or anyone when nobody authenticates (`auth: none`).
    func mayTakeOver(_ machine: String, by principal: Principal?) -> Bool {
        guard let principal, let session = sessions[machine] else { return true }
        return principal.isAdmin || session.holder == principal.user
    }

    /// Claims `machine`'s console: `conflict` when it is in use and `force` is false; with `force`
    /// the current session's console is closed (its bridge then ends) and the claim replaces it.
    func claim(_ machine: String, force: Bool, by principal: Principal? = nil) async throws -> Claim {
        let current = sessions[machine]
        guard Self.allows(inUse: current != nil, force: force, mayTakeOver: mayTakeOver(machine, by: principal)) else {
            throw SpecError.conflict(
                "the console of '\(machine)' is in use by another session; attach with ?force=1 to take it over")
        }
        nextSerial += 1
        let claim = Claim(machine: machine, serial: nextSerial)
        sessions[machine] = Session(serial: claim.serial, console: nil, holder: principal?.user)
        if let console = current?.console { await console.close() }
        return claim
    }

    /// Attaches the opened console to `claim`; false (and the console is closed) when a forced
    /// attach took the session over meanwhile.
    func attach(_ console: any ConsoleStream, to claim: Claim) async -> Bool {
        guard sessions[claim.machine]?.serial == claim.serial else {
            await console.close()
            return false
        }
        sessions[claim.machine]?.console = console
        return true
    }

    /// Ends `claim` (no-op when a forced attach already replaced it).
    func release(_ claim: Claim) {
        if sessions[claim.machine]?.serial == claim.serial { sessions[claim.machine] = nil }
    }
}
