import Foundation
import Gateway
import GatewayTestSupport
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("vmpooler: ownership by user and token revocation")
struct VMPoolerOwnershipTests {
    static let auth = Pooler.configuration(debian: 2, centos: 1, options: ["users": Pooler.users])

    @Test(
        "a VM belongs to its user: after the owner revokes the checkout token, others still get 401, the owner's new token works"
    )
    func ownershipByUser() async throws {
        try await Pooler.run(Self.auth) { client, gateway in
            let old = try await client.newToken("jdoe", "secret")
            let aliceToken = try await client.newToken("alice", "hunter2")
            let host = try await client.checkoutOne("debian-7-x86_64", token: old)

            // vmfloaty's `token delete`.
            #expect(try await client.pooler(.delete, "/vmpooler/token/\(old)", basic: ("jdoe", "secret")).status == .ok)
            #expect(
                try await client.pooler(.put, "/vmpooler/vm/\(host)", json: #"{"lifetime":2}"#, token: old).status
                    == .unauthorized)
            let (put, putBody) = try await client.pooler(
                .put, "/vmpooler/vm/\(host)", json: #"{"lifetime":2}"#, token: aliceToken)
            #expect(put == .unauthorized)
            #expect((putBody as? [String: Any])?["ok"] as? Bool == false)
            for path in ["/vmpooler/vm/\(host)", "/vmpooler/api/v3/vm/\(host)"] {
                #expect(try await client.pooler(.delete, path, token: aliceToken).status == .unauthorized)
            }
            #expect(
                try await client.pooler(.post, "/vmpooler/vm/\(host)/snapshot", token: aliceToken).status
                    == .unauthorized)
            #expect(try await client.vmInfo(host)["state"] as? String == "running")
            #expect(try await client.vmInfo(host)["lifetime"] as? Int == 72)

            // A "user" tag does not move ownership.
            let fresh = try await client.newToken("jdoe", "secret")
            #expect(
                try await client.pooler(.put, "/vmpooler/vm/\(host)", json: #"{"tags":{"user":"alice"}}"#, token: fresh)
                    .status == .ok)
            #expect(
                try await client.pooler(.put, "/vmpooler/vm/\(host)", json: #"{"lifetime":2}"#, token: aliceToken)
                    .status == .unauthorized)
            #expect(
                try await client.pooler(.put, "/vmpooler/vm/\(host)", json: #"{"lifetime":2}"#, token: fresh).status
                    == .ok)
            #expect(try await client.vmInfo(host)["lifetime"] as? Int == 2)
            // The owning user (not the token) is in the machine's metadata, under the gateway-wide key too.
            try await client.waitUntil("owner persisted") {
                (try? await gateway.fleet.machine("local:\(host)"))?.metadata.extra["owner"] == "jdoe"
            }
            let extra = try await gateway.fleet.machine("local:\(host)").metadata.extra
            #expect(extra["vmpooler.user"] == "jdoe")
            #expect(!extra.values.contains { $0.contains(old) }, "the token itself is not kept in metadata")

            #expect(try await client.pooler(.delete, "/vmpooler/vm/\(host)", token: fresh).status == .ok)
        }
    }

    @Test("using a token while it is revoked never brings it back (40 rounds of 12 uses + revoke)")
    func revocationHolds() async throws {
        try await Pooler.run(Self.auth) { client, gateway in
            let keeper = try await client.newToken("jdoe", "secret")
            let host = try await client.checkoutOne("debian-7-x86_64", token: keeper)
            var resurrected: [String] = []
            for _ in 0..<40 {
                let token = try await client.newToken("jdoe", "secret")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<12 {
                        group.addTask {
                            let (status, _) =
                                index.isMultiple(of: 2)
                                ? try await client.pooler(
                                    .put, "/vmpooler/vm/\(host)", json: #"{"lifetime":5}"#, token: token)
                                : try await client.pooler(.delete, "/vmpooler/ondemandvm/nosuch", token: token)
                            #expect([.ok, .notFound, .unauthorized].contains(status))
                        }
                        if index == 5 {
                            group.addTask {
                                let status = try await client.pooler(
                                    .delete, "/vmpooler/token/\(token)", basic: ("jdoe", "secret")
                                ).status
                                #expect(status == .ok)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                if try await gateway.fleet.store.token(token) != nil { resurrected.append(token) }
                #expect(try await client.pooler(.get, "/vmpooler/token/\(token)").status == .notFound)
                #expect(
                    try await client.pooler(.put, "/vmpooler/vm/\(host)", json: #"{"lifetime":5}"#, token: token)
                        .status == .unauthorized)
            }
            #expect(resurrected.isEmpty, "revoked tokens came back: \(resurrected.count)")
            // The store's touch is update-only.
            let gone = try await client.newToken("jdoe", "secret")
            #expect(try await gateway.fleet.store.touchToken(gone, at: Date()))
            #expect(try await gateway.fleet.store.deleteToken(gone))
            #expect(try await gateway.fleet.store.touchToken(gone, at: Date()) == false)
            #expect(try await gateway.fleet.store.token(gone) == nil)
        }
    }

    @Test("with auth, POST /ondemandvm needs a token (401); the request and its VMs belong to the user")
    func onDemandNeedsToken() async throws {
        try await Pooler.run(Self.auth) { client, gateway in
            let json = #"{"centos-6-x86_64":1}"#
            let (status, body) = try await client.pooler(.post, "/vmpooler/ondemandvm", json: json)
            #expect(status == .unauthorized)
            #expect((body as? [String: Any])?["ok"] as? Bool == false)
            #expect(
                try await client.pooler(.post, "/vmpooler/ondemandvm", json: json, token: "bogus").status
                    == .unauthorized)

            let token = try await client.newToken("jdoe", "secret")
            let aliceToken = try await client.newToken("alice", "hunter2")
            let (created, answer) = try await client.pooler(.post, "/vmpooler/ondemandvm", json: json, token: token)
            #expect(created == .created)
            let id = try #require((answer as? [String: Any])?["request_id"] as? String)
            var hosts: [String] = []
            try await client.waitUntil("request ready") {
                let (status, body) = try await client.pooler(.get, "/vmpooler/ondemandvm/\(id)")
                hosts = ((body as? [String: Any])?["centos-6-x86_64"] as? [String: Any])?["hostname"] as? [String] ?? []
                return status == .ok
            }
            let host = try #require(hosts.first)
            try await client.waitUntil("owner persisted") {
                (try? await gateway.fleet.machine("local:\(host)"))?.metadata.extra["owner"] == "jdoe"
            }
            #expect(try await client.pooler(.delete, "/vmpooler/vm/\(host)", token: aliceToken).status == .unauthorized)
            #expect(
                try await client.pooler(.delete, "/vmpooler/ondemandvm/\(id)", token: aliceToken).status
                    == .unauthorized)
            #expect(try await client.pooler(.delete, "/vmpooler/ondemandvm/\(id)").status == .unauthorized)
            #expect(try await client.vmInfo(host)["state"] as? String == "running")
            // GET /token/<t> lists the VM for its token.
            let info = try await client.pooler(.get, "/vmpooler/token/\(token)").body as? [String: Any]
            let running = ((info?[token] as? [String: Any])?["vms"] as? [String: Any])?["running"] as? [String]
            #expect(running == [host])
            let other = try await client.newToken("jdoe", "secret")
            #expect(try await client.pooler(.delete, "/vmpooler/ondemandvm/\(id)", token: other).status == .ok)
        }
    }
}

extension TestClientProtocol {
    /// `POST /token` with basic auth; the new token.
    func newToken(_ user: String, _ password: String) async throws -> String {
        let (status, body) = try await pooler(.post, "/vmpooler/token", basic: (user, password))
        #expect(status == .ok)
        return try #require((body as? [String: Any])?["token"] as? String)
    }
}
