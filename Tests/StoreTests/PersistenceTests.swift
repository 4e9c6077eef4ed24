import Foundation
import Spec
import Store
import Testing

@Suite("File database")
struct PersistenceTests {
    @Test("creates directories and keeps everything across reopening")
    func survivesRestart() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.databasePath

        let template = Template(name: "base", vcpus: 2, disks: [TemplateDisk(index: 0, pool: "p", volume: "v")])
        let token = Token(value: "secret", user: "alice", createdAt: instant(1), lastUsedAt: instant(2))
        let event = HistoryEvent(kind: "clone", at: instant(3), subject: "kvm:a", duration: 2, attributes: ["k": "v"])
        let taskIDs: [String]
        let task: TaskRecord
        do {
            let store = try SQLiteStore(path: path)
            #expect(FileManager.default.fileExists(atPath: path))
            try await store.saveTemplate(template)
            try await store.saveToken(token)
            try await store.record(event)
            try await store.setValue(Data("state".utf8), namespace: "ns", key: "k")
            taskIDs = [try await store.nextTaskID(), try await store.nextTaskID(), try await store.nextTaskID()]
            task = TaskRecord(
                id: taskIDs[0], kind: "machine.create", target: "kvm:a", status: .finished, progress: 100,
                createdAt: instant(4), updatedAt: instant(5))
            try await store.saveTask(task)
        }

        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.templates() == [template])
        #expect(try await reopened.token("secret") == token)
        #expect(try await reopened.tokens(ofUser: "alice") == [token])
        #expect(try await reopened.history(kind: nil, from: instant(0), to: instant(10)) == [event])
        #expect(try await reopened.values(namespace: "ns") == ["k": Data("state".utf8)])
        #expect(try await reopened.task(id: task.id) == task)
        #expect(try await reopened.tasks(limit: 10) == [task])

        // Ids keep increasing and the unused ones (2, 3) are not reused either.
        let next = try #require(Int(try await reopened.nextTaskID()))
        #expect(next > taskIDs.compactMap(Int.init).max()!)
    }

    @Test("an unusable path is unavailable")
    func unusablePath() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let error = #expect(throws: SpecError.self) {
            _ = try SQLiteStore(path: file.appendingPathComponent("db.sqlite").path)
        }
        #expect(error?.kind == .unavailable)
    }
}
