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

@Suite("History: batches and duration statistics")
struct HistoryStatsTests {
    @Test("a batch is recorded like its events one by one, in one transaction")
    func batch() async throws {
        let store = try SQLiteStore.inMemory()
        let events = (0..<50).map {
            HistoryEvent(kind: "boot", at: instant(Double($0)), subject: "m\($0)", duration: 1)
        }
        try await store.record(events)
        try await store.record([])
        #expect(try await store.history(kind: "boot", from: instant(0), to: instant(100)) == events)
    }

    @Test("count, total, min and max per attribute value, within the range, durations only")
    func durationStats() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.record([
            HistoryEvent(kind: "clone", at: instant(1), subject: "a", duration: 2, attributes: ["group": "g1"]),
            HistoryEvent(kind: "clone", at: instant(2), subject: "b", duration: 6, attributes: ["group": "g1"]),
            HistoryEvent(kind: "clone", at: instant(3), subject: "c", duration: 1.5, attributes: ["group": "g2"]),
            HistoryEvent(kind: "clone", at: instant(4), subject: "d", attributes: ["group": "g2"]),
            HistoryEvent(kind: "clone", at: instant(5), subject: "e", duration: 3),
            HistoryEvent(kind: "boot", at: instant(6), subject: "f", duration: 100, attributes: ["group": "g1"]),
            HistoryEvent(kind: "clone", at: instant(90), subject: "g", duration: 50, attributes: ["group": "g1"]),
        ])
        let stats = try await store.durationStats(kind: "clone", from: instant(0), to: instant(10), by: "group")
        #expect(stats["g1"] == DurationStats(count: 2, total: 8, min: 2, max: 6))
        #expect(stats["g1"]?.average == 4)
        #expect(stats["g2"] == DurationStats(count: 1, total: 1.5, min: 1.5, max: 1.5))
        #expect(stats[""] == DurationStats(count: 1, total: 3, min: 3, max: 3), "events without the key")
        #expect(stats.count == 3)
        #expect(try await store.durationStats(kind: "clone", from: instant(10), to: instant(0), by: "group").isEmpty)
        #expect(try await store.durationStats(kind: "nothing", from: instant(0), to: instant(100), by: "group").isEmpty)
        let merged = stats.values.reduce(DurationStats()) { $0.merged(with: $1) }
        #expect(merged == DurationStats(count: 4, total: 12.5, min: 1.5, max: 6))
        #expect(DurationStats().average == 0)
    }
}
