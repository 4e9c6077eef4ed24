import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Spec
import Testing

@testable import Gateway

@Suite("Identity: API tokens, sessions, browsers and the audit log")
struct TokenAndBrowserTests {
    @Test("an API token from POST /tokens works as a bearer token until it is revoked")
    func bearerTokens() async throws {
        try await TestGateway.run(Identity.configuration()) { client, _ in
            let issued = try await client.call(.post, "/api/v1/tokens", as: "alice")
            #expect(issued.status == .created)
            let token = try #require(issued.body["token"] as? String)
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            let me = try await client.call(.get, "/api/v1/users/me", as: nil, headers: bearer)
            #expect(me.body["user"] as? String == "alice" && me.body["role"] as? String == "user")
            #expect(try await client.call(.delete, "/api/v1/tokens/\(token)", as: "bob").status == .notFound)
            #expect(try await client.call(.delete, "/api/v1/tokens/\(token)", as: "alice").status == .noContent)
            #expect(try await client.call(.get, "/api/v1/users/me", as: nil, headers: bearer).status == .unauthorized)
        }
    }

    @Test("Kimchi's /login sets a session cookie that authenticates, /logout ends it")
    func kimchiSession() async throws {
        try await TestGateway.run(Identity.configuration()) { client, _ in
            let login = try await client.call(
                .post, "/kimchi/login", as: nil, json: #"{"username":"alice","password":"\#(Identity.password)"}"#)
            #expect(login.status == .ok && login.body["username"] as? String == "alice")
            let cookie = try #require(login.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            #expect(try await client.call(.get, "/kimchi/vms", as: nil, headers: [.cookie: cookie]).status == .ok)
            let bad = try await client.call(
                .post, "/kimchi/login", as: nil, json: #"{"username":"alice","password":"x"}"#)
            #expect(bad.status == .unauthorized)
            _ = try await client.call(.post, "/kimchi/logout", as: nil, headers: [.cookie: cookie])
            #expect(
                try await client.call(.get, "/kimchi/vms", as: nil, headers: [.cookie: cookie]).status == .unauthorized)
        }
    }

    @Test("text/plain on a JSON route is 415; a foreign Origin is 403; a foreign Host is 421")
    func browsers() async throws {
        var config = Identity.configuration()
        config.auth = "none"
        try await TestGateway.run(config) { client, _ in
            let plain = try await client.execute(
                uri: "/api/v1/machines", method: .post, headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: #"{"name":"csrf"}"#)
            ) { $0.status }
            #expect(plain == .unsupportedMediaType)
            let kimchiPlain = try await client.execute(
                uri: "/kimchi/vms", method: .post, headers: [.contentType: "text/plain;charset=UTF-8"],
                body: ByteBuffer(string: #"{"template":"/templates/demo"}"#)
            ) { $0.status }
            #expect(kimchiPlain == .unsupportedMediaType)
            let foreign = try await client.call(
                .post, "/api/v1/machines", as: nil, json: #"{"name":"csrf"}"#, headers: [.origin: "http://evil.example"]
            )
            #expect(foreign.status == .forbidden)
            #expect(foreign.body["error"] != nil, "native error body: \(foreign.text)")
            let same = try await client.call(
                .post, "/api/v1/machines", as: nil, json: #"{"name":"ok1"}"#, headers: [.origin: "http://localhost"])
            #expect(same.status == .created, "\(same.text)")
            #expect(try await client.call(.get, "/api/v1/machines", as: nil).status == .ok, "no credential needed")
            let list = try await client.call(.get, "/api/v1/machines", as: nil)
            #expect(!list.text.contains("csrf"))
        }
    }

    @Test("a Host the gateway does not answer to is 421 in the dialect's format (DNS rebinding)")
    func foreignHost() async throws {
        var config = Identity.configuration()
        config.auth = "none"
        try await LiveGateway.with(config) { live in
            let rebound = try Identity.raw(
                port: live.port, "GET /kimchi/vms HTTP/1.1\r\nHost: evil.example:\(live.port)\r\n")
            #expect(rebound.hasPrefix("HTTP/1.1 421"), "\(rebound)")
            #expect(rebound.contains(#""reason""#), "Kimchi's error body: \(rebound)")
            let local = try Identity.raw(
                port: live.port, "GET /kimchi/vms HTTP/1.1\r\nHost: localhost:\(live.port)\r\n")
            #expect(local.hasPrefix("HTTP/1.1 200"), "\(local)")
            let numeric = try Identity.raw(
                port: live.port, "GET /kimchi/vms HTTP/1.1\r\nHost: 127.0.0.1:\(live.port)\r\n")
            #expect(numeric.hasPrefix("HTTP/1.1 200"), "\(numeric)")
        }
    }

    @Test("every state-changing request is audited with its principal; only admins read the log")
    func audit() async throws {
        try await TestGateway.run(Identity.configuration()) { client, _ in
            _ = try await client.call(.post, "/api/v1/machines", as: "alice", json: #"{"name":"aud1"}"#)
            _ = try await client.call(.delete, "/api/v1/machines/aud1", as: "bob")
            _ = try await client.call(.post, "/kimchi/vms/aud1/start", as: nil)
            #expect(try await client.call(.get, "/api/v1/audit", as: "alice").status == .forbidden)
            let response = try await client.execute(uri: "/api/v1/audit", method: .get, headers: Identity.basic("root"))
            {
                String(buffer: $0.body)
            }
            let records = try #require(try JSONSerialization.jsonObject(with: Data(response.utf8)) as? [[String: Any]])
            let lines = records.map {
                "\($0["user"]!) \($0["dialect"]!) \($0["method"]!) \($0["path"]!) \($0["status"]!)"
            }
            #expect(lines.contains("alice native POST /api/v1/machines 201"), "\(lines)")
            #expect(lines.contains("bob native DELETE /api/v1/machines/aud1 404"), "\(lines)")
            #expect(lines.contains("(unauthenticated) kimchi POST /kimchi/vms/aud1/start 401"), "\(lines)")
            let later = try await client.call(
                .get, "/api/v1/audit?since=\(Int(Date().timeIntervalSince1970) + 60)", as: "root")
            #expect(later.text == "[]")
        }
    }
}
