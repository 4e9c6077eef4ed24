import Foundation
import Spec

extension PoolManager {
    /// Most metadata writes the writer keeps in flight at once.
    static let writerConcurrency = 4

    /// Notes that VMs changed; the writer persists them soon, off the request path. Several
    /// changes to one VM before it is written become one write.
    func markDirty(_ hostnames: some Sequence<String>) {
        table.withLock { table in for hostname in hostnames { table.markDirty(hostname) } }
        writerSignal.yield()
    }

    /// Queues history events for the writer, which records them in one transaction.
    func recordLater(_ events: [HistoryEvent]) {
        pendingHistory.withLock { $0 += events }
        writerSignal.yield()
    }

    /// Writes dirty VMs to their machines' metadata, and pending history to the store, whenever
    /// woken, until cancelled.
    ///
    /// A checkout is answered as soon as the table has it; the write follows within
    /// milliseconds, or at the next pass when the backend refused it. That is the durability of
    /// vmpooler's own Redis (`appendfsync everysec`): a gateway killed in that window finds the
    /// VM ready again after restart.
    func runWriter() async {
        for await _ in writerWakeups { await flushDirty() }
    }

    /// Records the history events queued so far (``recordLater(_:)``); `/summary` calls it first
    /// so that it never misses an event the writer has not reached yet.
    func flushHistory() async {
        let history = pendingHistory.withLock { pending in
            defer { pending = [] }
            return pending
        }
        guard !history.isEmpty else { return }
        do { try await fleet.store.record(history) } catch {
            pendingHistory.withLock { $0.insert(contentsOf: history, at: 0) }
            logger.warning("could not record vmpooler history", metadata: ["error": "\(error)"])
        }
    }

    /// Writes everything that is dirty now; VMs whose write failed stay dirty for the next round.
    func flushDirty() async {
        await flushHistory()
        var failed: [String] = []
        while true {
            let batch = table.withLock { $0.takeDirty(limit: Self.writerConcurrency) }
            if batch.isEmpty { break }
            failed += await persist(batch)
        }
        if !failed.isEmpty { table.withLock { table in for hostname in failed { table.markDirty(hostname) } } }
    }

    /// Writes a VM's current view into its machine's metadata; false when the backend refused.
    @discardableResult
    func persist(_ hostname: String) async -> Bool {
        guard let id = vm(hostname)?.machineID else { return true }
        do {
            _ = try await fleet.updateMetadata(id) { [self] metadata in
                guard let current = vm(hostname) else { return }
                current.apply(to: &metadata)
            }
            return true
        } catch let error as SpecError where error.kind == .notFound {
            return true
        } catch {
            logger.warning(
                "could not persist vmpooler state", metadata: ["vmgate.machine": "\(id)", "error": "\(error)"])
            return false
        }
    }

    /// Persists several VMs at once; returns those whose write failed.
    func persist(_ hostnames: [String]) async -> [String] {
        await withTaskGroup(of: String?.self) { group in
            for hostname in hostnames { group.addTask { await self.persist(hostname) ? nil : hostname } }
            var failed: [String] = []
            for await hostname in group { if let hostname { failed.append(hostname) } }
            return failed
        }
    }
}
