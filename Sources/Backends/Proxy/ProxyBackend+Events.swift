import Foundation
public import Spec

extension ProxyBackend {
    /// Lifecycle events derived by polling the upstream machine list every
    /// ``ProxyConfiguration/pollInterval`` seconds and comparing states. Changes that happen
    /// and revert between two polls are not seen, which is why the `events` capability is
    /// not announced; the stream is a convenience for dashboards, not a guarantee.
    public func events() -> AsyncStream<MachineEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: MachineEvent.self, bufferingPolicy: .bufferingNewest(1024))
        let interval = configuration.pollInterval
        guard interval > 0 else {
            continuation.finish()
            return stream
        }
        let poller = Task { [weak self] in
            var known: [String: MachineState]?
            while !Task.isCancelled {
                guard let self, !self.state.withLock({ $0.closed }) else { break }
                if let list = try? await self.machines() {
                    let current = Dictionary(list.map { ($0.name, $0.state) }, uniquingKeysWith: { first, _ in first })
                    if let known {
                        for event in Self.changes(from: known, to: current, backend: self.name) {
                            continuation.yield(event)
                        }
                    }
                    known = current
                }
                try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in poller.cancel() }
        return stream
    }

    /// The events that explain the step from `old` to `new` machine states.
    static func changes(from old: [String: MachineState], to new: [String: MachineState], backend: String)
        -> [MachineEvent]
    {
        var events: [MachineEvent] = []
        for (name, state) in new.sorted(by: { $0.key < $1.key }) {
            let ref = MachineRef(backend: backend, name: name)
            guard let before = old[name] else {
                events.append(MachineEvent(machine: ref, kind: .defined))
                if state == .running { events.append(MachineEvent(machine: ref, kind: .started)) }
                continue
            }
            guard before != state else { continue }
            let kind: MachineEvent.Kind =
                switch (before, state) {
                case (.paused, .running): .resumed
                case (_, .running): .started
                case (_, .paused): .suspended
                case (_, .shutoff): .stopped
                case (_, .crashed): .crashed
                default: .changed
                }
            events.append(MachineEvent(machine: ref, kind: kind))
        }
        for name in old.keys.sorted() where new[name] == nil {
            events.append(MachineEvent(machine: MachineRef(backend: backend, name: name), kind: .undefined))
        }
        return events
    }
}
