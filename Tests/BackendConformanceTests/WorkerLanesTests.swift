import Foundation
import Spec
import Testing

@testable import Libvirt

#if canImport(Glibc)
    import Glibc
#endif

/// The libvirt backend's thread lanes and event batching.
@Suite("Libvirt: worker lanes and event batches")
struct WorkerLanesTests {
    static func niceness() -> Int32 { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }

    /// The nice value of the thread `lanes` runs a call on for a task at `priority`. The task is
    /// detached and reports through a continuation: awaiting its value would escalate it to the
    /// awaiting test's priority.
    static func niceness(at priority: TaskPriority, _ lanes: WorkerLanes, inChild: Bool = false) async -> Int32? {
        await withCheckedContinuation { continuation in
            Task.detached(priority: priority) {
                guard inChild else { return continuation.resume(returning: try? await lanes.run { niceness() }) }
                // Child tasks inherit the priority, so a whole pass of maintenance stays in its lane.
                let value = await withTaskGroup(of: Int32?.self) { group in
                    group.addTask { try? await lanes.run { niceness() } }
                    return await group.next() ?? nil
                }
                continuation.resume(returning: value)
            }
        }
    }

    @Test("background-priority calls run on lower-priority threads, others at normal priority")
    func lanes() async throws {
        let lanes = WorkerLanes(threads: 2)
        #expect(await Self.niceness(at: .medium, lanes) == 0)
        #expect(await Self.niceness(at: .high, lanes) == 0)
        #expect(await Self.niceness(at: .low, lanes) == WorkerLanes.backgroundNice)
        #expect(await Self.niceness(at: .background, lanes) == WorkerLanes.backgroundNice)
        #expect(await Self.niceness(at: .background, lanes, inChild: true) == WorkerLanes.backgroundNice)
        #expect(await Self.niceness(at: .medium, lanes) == 0, "the interactive lane was never lowered")
        try await lanes.shutdownGracefully()
    }

    @Test("events that queued up before the consumer came arrive as one batch, in order")
    func batches() async throws {
        let queue = NoteQueue()
        queue.push(DomainNote(name: "a", kind: .defined))
        queue.push(DomainNote(name: "b", kind: .defined))
        queue.push(DomainNote(name: "a", kind: .started))
        var iterator = try #require(queue.wakeups()).makeAsyncIterator()
        #expect(await iterator.next() != nil)
        let first = queue.drain()
        #expect(first.map(\.name) == ["a", "b", "a"])
        #expect(first.map(\.kind) == [.defined, .defined, .started])
        queue.push(DomainNote(name: "a", kind: .stopped))
        #expect(await iterator.next() != nil)
        #expect(queue.drain() == [DomainNote(name: "a", kind: .stopped)])
        #expect(queue.drain() == [], "a drain takes each note once")
        #expect(queue.wakeups() == nil, "only the first consumer gets the notes")
        queue.finish()
        #expect(await iterator.next() == nil)
    }
}
