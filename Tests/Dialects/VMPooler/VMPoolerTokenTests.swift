import Foundation
import GatewayTestSupport
import HTTPTypes
import NIOCore
import Testing

@Suite("vmpooler: tokens and auth")
struct VMPoolerTokenTests {
    static let auth = Pooler.configuration(debian: 2, centos: 1, options: ["users": Pooler.users])

    @Test("token routes: list, issue, show, revoke; wrong credentials 401; others' tokens 404")
    func tokenRoutes() async throws {
        try await Pooler.run(Self.auth) { client, _ in
            let jdoe = ("jdoe", "secret")
            let (s0, b0) = try await client.pooler(.get, "/vmpooler/token", basic: jdoe)
            #expect(s0 == .ok)
            #expect((b0 as? [String: Any])?.keys.sorted() == ["ok"])

            let (s1, b1) = try await client.pooler(.post, "/vmpooler/api/v1/token", basic: jdoe)
            #expect(s1 == .ok)
            let token = try #require((b1 as? [String: Any])?["token"] as? String)
            #expect(token.count == 32)

            let list = try await client.pooler(.get, "/vmpooler/token", basic: jdoe).body as? [String: Any]
            let created = (list?[token] as? [String: Any])?["created"] as? String
            #expect(created?.count == "2015-04-28 19:17:47 +0000".count)

            let (s2, b2) = try await client.pooler(.get, "/vmpooler/api/v3/token/\(token)", basic: jdoe)
            #expect(s2 == .ok)
            let info = (b2 as? [String: Any])?[token] as? [String: Any]
            #expect(info?["user"] as? String == "jdoe")
            #expect(info?["timestamp"] is String)

            // Wrong or missing credentials.
            #expect(try await client.pooler(.get, "/vmpooler/token", basic: ("jdoe", "wrong")).status == .unauthorized)
            #expect(
                try await client.pooler(.get, "/vmpooler/token", basic: ("nobody", "secret")).status == .unauthorized)
            #expect(try await client.pooler(.post, "/vmpooler/token").status == .unauthorized)
            // Another user cannot revoke jdoe's token, nor list it; revoking needs basic auth.
            let alice = ("alice", "hunter2")
            #expect(try await client.pooler(.delete, "/vmpooler/token/\(token)", basic: alice).status == .notFound)
            #expect(try await client.pooler(.delete, "/vmpooler/token/\(token)").status == .unauthorized)
            #expect(
                try await client.pooler(.delete, "/vmpooler/token/\(token)", basic: ("jdoe", "wrong")).status
                    == .unauthorized)
            #expect(
                (try await client.pooler(.get, "/vmpooler/token", basic: alice).body as? [String: Any])?[token] == nil)

            #expect(try await client.pooler(.delete, "/vmpooler/token/\(token)", basic: jdoe).status == .ok)
            #expect(try await client.pooler(.get, "/vmpooler/token/\(token)", basic: jdoe).status == .notFound)
            #expect(try await client.pooler(.delete, "/vmpooler/token/\(token)", basic: jdoe).status == .notFound)
        }
    }

    @Test("with auth: checkout with a token tags the user and lengthens the lifetime; PUT/DELETE need a token")
    func tokensOnVMs() async throws {
        try await Pooler.run(Self.auth) { client, _ in
            let body =
                try await client.pooler(.post, "/vmpooler/token", basic: ("jdoe", "secret")).body as? [String: Any]
            let token = try #require(body?["token"] as? String)
            let aliceBody =
                try await client.pooler(.post, "/vmpooler/token", basic: ("alice", "hunter2")).body as? [String: Any]
            let aliceToken = try #require(aliceBody?["token"] as? String)

            #expect(
                try await client.pooler(.post, "/vmpooler/vm/debian-7-x86_64", token: "bogus").status == .unauthorized)
            let host = try await client.checkoutOne("debian-7-x86_64", token: token)
            let info = try await client.vmInfo(host)
            #expect((info["tags"] as? [String: String])?["user"] == "jdoe")
            #expect(info["lifetime"] as? Int == 72)

            #expect(
                try await client.pooler(.put, "/vmpooler/vm/\(host)", json: #"{"lifetime":3}"#).status == .unauthorized)
            #expect(
                try await client.pooler(.put, "/vmpooler/vm/\(host)", json: #"{"lifetime":3}"#, token: "bogus").status
                    == .unauthorized)
            #expect(try await client.pooler(.delete, "/vmpooler/vm/\(host)", token: aliceToken).status == .unauthorized)
            #expect(
                try await client.pooler(.put, "/vmpooler/vm/\(host)", json: #"{"lifetime":3}"#, token: token).status
                    == .ok)
            #expect(try await client.vmInfo(host)["lifetime"] as? Int == 3)
            #expect(try await client.pooler(.delete, "/vmpooler/vm/\(host)").status == .unauthorized)
            #expect(try await client.pooler(.delete, "/vmpooler/vm/\(host)", token: token).status == .ok)

            // With users the gateway's auth is required: a checkout without a token is refused.
            let (refused, _) = try await client.pooler(.post, "/vmpooler/vm/centos-6-x86_64")
            #expect(refused == .unauthorized)
        }
    }

    @Test("with auth: none, a checkout without a token works as in vmpooler, with the default lifetime")
    func anonymousCheckoutWithoutRequiredAuth() async throws {
        var config = Self.auth
        config.auth = "none"
        try await Pooler.run(config) { client, _ in
            let anonymous = try await client.checkoutOne("centos-6-x86_64")
            #expect(try await client.vmInfo(anonymous)["lifetime"] as? Int == 24)
        }
    }

    @Test("GET /token/<t> answers without basic auth (vmfloaty's token status, list --active); unknown 404")
    func tokenStatusWithoutBasicAuth() async throws {
        try await Pooler.run(Self.auth) { client, _ in
            let token = try await client.newToken("jdoe", "secret")
            let host = try await client.checkoutOne("debian-7-x86_64", token: token)
            for prefix in ["/vmpooler", "/vmpooler/api/v1", "/vmpooler/api/v3"] {
                let (status, body) = try await client.pooler(.get, "\(prefix)/token/\(token)")
                #expect(status == .ok)
                let info = (body as? [String: Any])?[token] as? [String: Any]
                #expect(info?["user"] as? String == "jdoe")
                #expect(info?["created"] is String)
                #expect(((info?["vms"] as? [String: Any])?["running"] as? [String]) == [host])
            }
            let (missing, body) = try await client.pooler(.get, "/vmpooler/token/nosuchtoken")
            #expect(missing == .notFound)
            #expect((body as? [String: Any])?["ok"] as? Bool == false)

            // Read routes never show a token: not the VM's, not anyone's.
            let other = try await client.newToken("alice", "hunter2")
            for path in [
                "/vmpooler/vm/\(host)", "/vmpooler/api/v3/vm/\(host)", "/vmpooler/status", "/vmpooler/summary",
            ] {
                let text = try await client.execute(uri: path, method: .get) { String(buffer: $0.body) }
                #expect(!text.contains(token) && !text.contains(other), "\(path) shows a token")
            }
        }
    }

    @Test("without auth configured, /token answers 404 and VMs need no token")
    func noAuth() async throws {
        try await Pooler.run { client, _ in
            #expect(try await client.pooler(.get, "/vmpooler/token", basic: ("jdoe", "secret")).status == .notFound)
            #expect(try await client.pooler(.post, "/vmpooler/token").status == .notFound)
            #expect(try await client.pooler(.get, "/vmpooler/token/anything").status == .notFound)
            let host = try await client.checkoutOne("centos-6-x86_64", token: "ignored")
            #expect(try await client.pooler(.delete, "/vmpooler/vm/\(host)").status == .ok)
        }
    }
}
