import Foundation
import Spec
import Synchronization

/// Broadcasts machine events to every live `events()` stream.
final class EventHub: Sendable {
    private let continuations = Mutex<[UUID: AsyncStream<MachineEvent>.Continuation]>([:])

    /// A new stream that receives every event from now on, until the caller stops iterating.
    func stream() -> AsyncStream<MachineEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: MachineEvent.self, bufferingPolicy: .bufferingNewest(1024))
        let id = UUID()
        continuation.onTermination = { [weak self] _ in
            _ = self?.continuations.withLock { $0.removeValue(forKey: id) }
        }
        continuations.withLock { $0[id] = continuation }
        return stream
    }

    /// Sends `event` to all streams.
    func broadcast(_ event: MachineEvent) {
        let targets = continuations.withLock { Array($0.values) }
        for continuation in targets { continuation.yield(event) }
    }

    /// Ends all streams.
    func finish() {
        let targets = continuations.withLock { state in
            defer { state = [:] }
            return Array(state.values)
        }
        for continuation in targets { continuation.finish() }
    }
}
