import Foundation
import GatewayCore
import Spec
import Testing

@Suite("Identity: passwords and the user directory")
struct PasswordTests {
    @Test("a PBKDF2 hash verifies its password only")
    func hashes() throws {
        let hash = Identity.hash
        #expect(hash.hasPrefix("pbkdf2-sha256$210000$"))
        #expect(PasswordHash.verify(Identity.password, against: hash))
        #expect(!PasswordHash.verify("wrong", against: hash))
        #expect(try PasswordHash.make(Identity.password) != hash, "a fresh salt every time")
    }

    @Test("malformed hashes and weak work factors are refused")
    func malformed() {
        for bad in [
            "plain", "pbkdf2-sha256$1000$c2FsdHNhbHQ=$" + Data(count: 32).base64EncodedString(),
            "pbkdf2-sha256$99999999999$c2FsdHNhbHQ=$" + Data(count: 32).base64EncodedString(),
            "pbkdf2-sha256$210000$!!$" + Data(count: 32).base64EncodedString(), "sha256$x$y$z",
        ] {
            #expect(throws: SpecError.self, "\(bad)") { try PasswordHash.validate(bad) }
            #expect(!PasswordHash.verify("x", against: bad))
        }
    }

    @Test("the directory authenticates users, remembers them briefly, and knows legacy entries")
    func directory() {
        let directory = UserDirectory(users: [
            .init(name: "alice", role: .user, secret: .hash(Identity.hash), groups: ["team"]),
            .init(name: "old", secret: .legacySHA256(salt: "s", hex: PasswordDigest.sha256Hex("s" + "pw"))),
            .init(name: "plain", secret: .plaintext("pw")),
        ])
        #expect(directory.authenticate(user: "alice", password: Identity.password)?.groups == ["team"])
        #expect(directory.authenticate(user: "alice", password: Identity.password)?.role == .user)
        #expect(directory.authenticate(user: "alice", password: "nope") == nil, "the cache holds the right one only")
        #expect(directory.authenticate(user: "nobody", password: Identity.password) == nil)
        #expect(directory.authenticate(user: "old", password: "pw") != nil)
        #expect(directory.authenticate(user: "plain", password: "pw") != nil)
        #expect(directory.legacyUsers == ["old", "plain"])
    }
}
