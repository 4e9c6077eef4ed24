import Synchronization

/// Device UUIDs already derived, so listing many machines does not hash on every request.
final class DeviceUUIDCache: Sendable {
    private let entries = Mutex<[String: String]>([:])
    /// Entries kept before the cache starts over (a bound for gateways that see many machines come and go).
    let capacity: Int

    init(capacity: Int = 65_536) { self.capacity = capacity }

    /// The name-based UUID of `name` under machine `machine`.
    func uuid(machine: String, _ name: String) -> String {
        let key = machine + "/" + name
        if let known = entries.withLock({ $0[key] }) { return known }
        let made = NameBasedUUID.make(namespace: machine, name: name) ?? ""
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = made
        }
        return made
    }
}
