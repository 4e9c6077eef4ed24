import Foundation
import Spec
import Store
import Testing

@Suite("History")
struct HistoryStoreTests {
    let events = [
        HistoryEvent(kind: "boot", at: instant(30), subject: "kvm:b", duration: 4.25),
        HistoryEvent(kind: "clone", at: instant(10), subject: "kvm:a", duration: 12.5, attributes: ["pool": "default"]),
        HistoryEvent(kind: "clone", at: instant(20), subject: "kvm:b", attributes: ["tag": "ci", "pool": "fast"]),
        HistoryEvent(kind: "checkout", at: instant(40), subject: "pool:ci"),
        HistoryEvent(kind: "clone", at: instant(50), subject: "kvm:c", duration: 1),
    ]

    func filledStore() async throws -> SQLiteStore {
        let store = try SQLiteStore.inMemory()
        for event in events { try await store.record(event) }
        return store
    }

    @Test("all kinds, oldest first, every field round-trips")
    func allKinds() async throws {
        let store = try await filledStore()
        let all = try await store.history(kind: nil, from: instant(0), to: instant(100))
        #expect(all == events.sorted { $0.at < $1.at })
    }

    @Test("the range is inclusive at both ends")
    func inclusiveRange() async throws {
        let store = try await filledStore()
        let range = try await store.history(kind: nil, from: instant(20), to: instant(40))
        #expect(range.map(\.at) == [instant(20), instant(30), instant(40)])
        #expect(try await store.history(kind: nil, from: instant(30), to: instant(30)).map(\.subject) == ["kvm:b"])
        #expect(try await store.history(kind: nil, from: instant(31), to: instant(39)).isEmpty)
        #expect(try await store.history(kind: nil, from: instant(40), to: instant(20)).isEmpty)
    }

    @Test("kind filter")
    func kindFilter() async throws {
        let store = try await filledStore()
        let clones = try await store.history(kind: "clone", from: instant(0), to: instant(100))
        #expect(clones.map(\.subject) == ["kvm:a", "kvm:b", "kvm:c"])
        let someClones = try await store.history(kind: "clone", from: instant(15), to: instant(50))
        #expect(someClones.map(\.subject) == ["kvm:b", "kvm:c"])
        #expect(try await store.history(kind: "reboot", from: instant(0), to: instant(100)).isEmpty)
    }

    @Test("events at the same instant keep recording order")
    func sameInstant() async throws {
        let store = try SQLiteStore.inMemory()
        for subject in ["first", "second", "third"] {
            try await store.record(HistoryEvent(kind: "boot", at: instant(1), subject: subject))
        }
        let events = try await store.history(kind: "boot", from: instant(1), to: instant(1))
        #expect(events.map(\.subject) == ["first", "second", "third"])
    }
}
