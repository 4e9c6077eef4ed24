import Foundation
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import Spec
import Testing

@testable import Gateway
@testable import IMDialect

@Suite("IM: infrastructures bound to user name and password")
struct IMOwnershipTests {
    static let guess = "id = im; type = InfrastructureManager; username = alice; password = guess"
    static let tiny = "system s (cpu.count >= 1 and memory.size >= 128m)\ndeploy s 1"

    @Test("with no users option, the same user with another password is refused as an unknown infrastructure (404)")
    func otherPassword() async throws {
        try await TestGateway.run(IMTest.configuration()) { client, gateway in
            let id = try await client.createInfrastructure(Self.tiny)
            let get = try await client.im(.get, "/infrastructures/\(id)", accept: "application/json", auth: Self.guess)
            #expect(get.status == .notFound)
            #expect(get.object["code"] as? Int == 404)
            #expect(try await client.im(.get, "/infrastructures/\(id)/radl", auth: Self.guess).status == .notFound)
            #expect(try await client.im(.get, "/infrastructures/\(id)/vms/0", auth: Self.guess).status == .notFound)
            #expect(try await client.im(.delete, "/infrastructures/\(id)", auth: Self.guess).status == .notFound)
            #expect(try await client.im(.get, "/infrastructures", auth: Self.guess).text.isEmpty)
            // The creator still has it, and its machine survived the refused destroy.
            #expect(try await client.im(.get, "/infrastructures").text.hasSuffix(id))
            #expect(try await client.im(.get, "/infrastructures/\(id)").status == .ok)
            #expect(await gateway.fleet.machines(group: "im-\(id)").machines.count == 1)
            // Alice under another password starts her own infrastructures, which the first password cannot see.
            let other = try await client.createInfrastructure(Self.tiny, auth: Self.guess)
            #expect(try await client.im(.get, "/infrastructures/\(other)").status == .notFound)
            #expect(try await client.im(.get, "/infrastructures", auth: Self.guess).text.hasSuffix(other))
            #expect(try await client.im(.delete, "/infrastructures/\(id)").status == .ok)
        }
    }

    @Test("only a salted hash of the password is stored, with a salt per infrastructure")
    func storedHash() async throws {
        try await TestGateway.run(IMTest.configuration()) { client, gateway in
            let first = try await client.createInfrastructure(Self.tiny)
            let second = try await client.createInfrastructure(Self.tiny)
            let stored = try await gateway.fleet.store.values(namespace: IMRepository.namespace)
            let records = try [first, second].map {
                try JSONDecoder().decode(IMInfrastructure.self, from: try #require(stored[$0]))
            }
            for (key, data) in stored where [first, second].contains(key) {
                #expect(!String(decoding: data, as: UTF8.self).contains("secret"))
            }
            let credentials = records.compactMap(\.credential)
            #expect(credentials.count == 2)
            #expect(credentials.allSatisfy { $0.matches("secret") && !$0.matches("guess") })
            #expect(credentials[0].salt != credentials[1].salt)
            #expect(credentials[0].hash != credentials[1].hash)
            let radl = try await client.im(.get, "/infrastructures/\(first)/radl")
            #expect(!radl.text.contains(credentials[0].hash) && !radl.text.contains(credentials[0].salt))
        }
    }

    @Test("a record without a stored hash is bound to the password of its owner's first access")
    func legacyRecordBindsOnFirstAccess() async throws {
        try await TestGateway.run(IMTest.configuration()) { client, gateway in
            let legacy = IMInfrastructure(
                id: "legacy-1", owner: "alice", credential: nil, document: RADLDocument(), group: "default")
            try await gateway.fleet.store.setValue(
                try JSONEncoder().encode(legacy), namespace: IMRepository.namespace, key: legacy.id)
            let bob = try await client.im(.get, "/infrastructures/legacy-1", auth: IMTest.bobAuth)
            #expect(bob.status == .notFound, "another user never binds it")
            #expect(try await client.im(.get, "/infrastructures/legacy-1").status == .ok)
            #expect(try await client.im(.get, "/infrastructures/legacy-1", auth: Self.guess).status == .notFound)
            #expect(try await client.im(.get, "/infrastructures/legacy-1").status == .ok)
            let data = try #require(
                try await gateway.fleet.store.values(namespace: IMRepository.namespace)["legacy-1"])
            let bound = try JSONDecoder().decode(IMInfrastructure.self, from: data)
            #expect(bound.credential?.matches("secret") == true)
        }
    }

    @Test("plaintext passwords in the users option are reported, hashed ones are not")
    func plaintextUsers() {
        let users = IMAuth.users("alice:secret,bob:sha256:salt:abc,carol:sha256:oops")
        #expect(IMAuth.plaintextUsers(users) == ["alice", "carol"])
        #expect(IMAuth.plaintextUsers(IMAuth.users("bob:sha256:s:h")).isEmpty)
        #expect(IMAuth.plaintextUsers(IMAuth.users(nil)).isEmpty)
    }

    @Test("plaintext passwords in the users option are logged as deprecated once at start-up, without the password")
    func deprecationWarning() async throws {
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "test") { _ in logs }
        let users = "alice:topsecret,bob:sha256:salt:bede90386d450cea8b77b822f8887065e4e5abf132c2f9dccfcc7fbd4cba5e35"
        let gateway = try await Gateway.build(configuration: IMTest.configuration(users: users), logger: logger)
        await gateway.close()
        let warnings = logs.entries.filter { $0.level == .warning && "\($0.message)".contains("plaintext passwords") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.metadata["users"]?.description == "alice")
        #expect(!logs.text.contains { $0.contains("topsecret") })

        let quiet = InMemoryLogHandler()
        let hashed = try await Gateway.build(
            configuration: IMTest.configuration(users: "bob:sha256:s:h"), logger: Logger(label: "test") { _ in quiet })
        await hashed.close()
        #expect(!quiet.text.contains { $0.contains("plaintext passwords") })
    }
}
