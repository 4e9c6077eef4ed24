import Foundation
import Spec
import Store
import Testing

@Suite("Tokens")
struct TokenStoreTests {
    @Test("save, look up, list per user by creation, delete")
    func roundTrip() async throws {
        let store = try SQLiteStore.inMemory()
        let second = Token(value: "t-b", user: "alice", createdAt: instant(2))
        let first = Token(value: "t-z", user: "alice", createdAt: instant(1), lastUsedAt: instant(5))
        let bobs = Token(value: "t-c", user: "bob", createdAt: instant(0))
        for token in [second, first, bobs] { try await store.saveToken(token) }

        #expect(try await store.token("t-z") == first)
        #expect(try await store.token("nope") == nil)
        #expect(try await store.tokens(ofUser: "alice") == [first, second])
        #expect(try await store.tokens(ofUser: "bob") == [bobs])
        #expect(try await store.tokens(ofUser: "carol").isEmpty)

        var used = second
        used.lastUsedAt = instant(10)
        try await store.saveToken(used)
        #expect(try await store.token("t-b") == used)
        #expect(try await store.tokens(ofUser: "alice").count == 2)

        #expect(try await store.deleteToken("t-b"))
        #expect(try await !store.deleteToken("t-b"))
        #expect(try await store.token("t-b") == nil)
        #expect(try await store.tokens(ofUser: "alice") == [first])
    }

    @Test("a value owned by another user is a conflict")
    func conflict() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.saveToken(Token(value: "shared", user: "alice", createdAt: instant(0)))
        let error = await #expect(throws: SpecError.self) {
            try await store.saveToken(Token(value: "shared", user: "mallory", createdAt: instant(1)))
        }
        #expect(error?.kind == .conflict)
        #expect(try await store.token("shared")?.user == "alice")
    }

    @Test("current dates round-trip to within a microsecond")
    func datePrecision() async throws {
        let store = try SQLiteStore.inMemory()
        let now = Date()
        try await store.saveToken(Token(value: "now", user: "alice", createdAt: now, lastUsedAt: now))
        let loaded = try #require(try await store.token("now"))
        #expect(abs(loaded.createdAt.timeIntervalSince(now)) < 1e-6)
        #expect(abs(try #require(loaded.lastUsedAt).timeIntervalSince(now)) < 1e-6)
    }
}
