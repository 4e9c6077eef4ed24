import Spec
import Synchronization

/// A domain event seen on the event-loop thread, waiting to be processed.
struct DomainNote: Sendable, Equatable {
    var name: String
    var kind: MachineEvent.Kind
}

/// Domain events waiting for the backend's consumer, taken in batches.
///
/// A clone or a start raises several events for one machine in quick succession (defined,
/// started, resumed); taking everything that queued up at once lets the consumer re-read each
/// machine once per batch instead of once per event.
final class NoteQueue: Sendable {
    private let pending = Mutex<[DomainNote]>([])
    private let signal: AsyncStream<Void>.Continuation
    private let stream: Mutex<AsyncStream<Void>?>

    init() {
        let (stream, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.signal = signal
        self.stream = Mutex(stream)
    }

    /// Queues a note (called on libvirt's event-loop thread; never blocks).
    func push(_ note: DomainNote) {
        pending.withLock { $0.append(note) }
        signal.yield()
    }

    /// Ends ``batches()``.
    func finish() { signal.finish() }

    /// Wake-ups for the consumer, until ``finish()``; only the first caller gets them (later
    /// callers get nil). After each, ``drain()`` takes what queued up.
    func wakeups() -> AsyncStream<Void>? {
        stream.withLock { state in
            defer { state = nil }
            return state
        }
    }

    /// Every note queued since the last drain, in arrival order.
    func drain() -> [DomainNote] {
        pending.withLock { notes in
            defer { notes = [] }
            return notes
        }
    }
}
