import Foundation
import Spec
import Store
import Testing

@Suite("Tasks")
struct TaskStoreTests {
    @Test("ids are decimal and increase")
    func idsIncrease() async throws {
        let store = try SQLiteStore.inMemory()
        var previous = 0
        for _ in 0..<5 {
            let id = try await store.nextTaskID()
            let number = try #require(Int(id))
            #expect(number > previous)
            previous = number
        }
    }

    @Test("concurrent allocations never collide")
    func concurrentIDs() async throws {
        let store = try SQLiteStore.inMemory()
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 { group.addTask { try await store.nextTaskID() } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(ids).count == 50)
    }

    @Test("save, fetch, update, list most recent first")
    func roundTrip() async throws {
        let store = try SQLiteStore.inMemory()
        var records: [TaskRecord] = []
        for index in 0..<4 {
            let id = try await store.nextTaskID()
            let record = TaskRecord(
                id: id, kind: "machine.create", target: "kvm:vm\(index)", status: .running, progress: index * 10,
                message: "step \(index)", createdAt: instant(Double(index)), updatedAt: instant(Double(index) + 0.5))
            try await store.saveTask(record)
            records.append(record)
        }
        #expect(try await store.task(id: records[1].id) == records[1])
        #expect(try await store.task(id: "999") == nil)
        #expect(try await store.task(id: "not-a-number") == nil)

        var done = records[2]
        done.status = .failed
        done.progress = 100
        done.message = "disk full"
        done.updatedAt = instant(100)
        try await store.saveTask(done)
        #expect(try await store.task(id: done.id) == done)

        let recent = try await store.tasks(limit: 3)
        #expect(recent.map(\.id) == [records[3].id, done.id, records[1].id])
        #expect(recent[1] == done)
        #expect(try await store.tasks(limit: 10).count == 4)
        #expect(try await store.tasks(limit: 0).isEmpty)
    }

    @Test("explicitly saved ids are never allocated again")
    func savedIDsAreSkipped() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.saveTask(TaskRecord(id: "41", kind: "volume.wipe", target: "pool/vol"))
        #expect(try await store.nextTaskID() == "42")
    }

    @Test("a non-numeric id is invalid")
    func invalidID() async throws {
        let store = try SQLiteStore.inMemory()
        let error = await #expect(throws: SpecError.self) {
            try await store.saveTask(TaskRecord(id: "abc", kind: "x", target: "y"))
        }
        #expect(error?.kind == .invalid)
    }
}
