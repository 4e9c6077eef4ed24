import Foundation
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Spec
import Testing

@testable import Gateway

@Suite("Identity: start-up rules and quotas")
struct StartupAndQuotaTests {
    static func build(_ config: GatewayConfiguration) async throws -> Gateway {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await Gateway.build(configuration: config, logger: logger)
    }

    @Test("a non-loopback listener needs users, and auth: none only on loopback")
    func exposedListeners() async throws {
        var open = TestGateway.configuration()
        open.listen.host = "0.0.0.0"
        await #expect { try await Self.build(open) } throws: { "\($0)".contains("has no users") }
        var none = Identity.configuration()
        none.listen.host = "0.0.0.0"
        none.auth = "none"
        await #expect { try await Self.build(none) } throws: {
            "\($0)".contains("only allowed when every listener is loopback")
        }
        var exposedDialect = TestGateway.configuration()
        exposedDialect.dialects.append(.init(name: "comet", port: 18_999, options: nil))
        exposedDialect.dialects[1].host = "0.0.0.0"
        await #expect { try await Self.build(exposedDialect) } throws: { "\($0)".contains("has no users") }
        var badHash = Identity.configuration()
        badHash.users[0].password = "s3cret"
        await #expect { try await Self.build(badHash) } throws: { "\($0)".contains("users[0].password") }
    }

    @Test("a second gateway on the same SQLite store refuses to start, and starts once the first is closed")
    func oneInstancePerStore() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vmgate-lock-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = TestGateway.configuration(store: directory.appendingPathComponent("store.sqlite").path)
        config.dialects = []
        let first = try await Self.build(config)
        await #expect { try await Self.build(config) } throws: { "\($0)".contains("another vmgate is already running") }
        await first.close()
        let second = try await Self.build(config)
        await second.close()
    }

    @Test("a quota of 2 machines: one through Kimchi, one through Comet, the third refused")
    func quotaAcrossDialects() async throws {
        let dialects = """
            dialects: [{name: native}, {name: kimchi, options: {group: default}}, {name: comet},
              {name: im, options: {group: default}}]
            """
        try await TestGateway.run(Identity.configuration(aliceQuota: Quota(machines: 2), dialects: dialects)) {
            client, _ in
            let kimchi = try await client.call(
                .post, "/kimchi/vms", as: "alice", json: #"{"name":"q1","template":"/templates/demo"}"#)
            #expect(kimchi.status.code < 300, "\(kimchi.text)")
            let cluster = try await client.call(
                .post, "/comet/cluster", as: "alice", json: #"{"name":"qc","template":"demo"}"#)
            #expect(cluster.status == .created, "\(cluster.text)")
            let comet = try await client.call(.post, "/comet/cluster/qc/vms", as: "alice", json: #"{"name":"q2"}"#)
            #expect(comet.status.code < 300, "\(comet.text)")
            let third = try await client.call(
                .post, "/im/infrastructures", as: nil,
                headers: AuthorizationMatrixTests.credential("alice", dialect: "im", tokens: [:]) + [
                    HTTPField(name: .contentType, value: "text/plain"),
                    HTTPField(name: .accept, value: "application/json"),
                ], body: AuthorizationMatrixTests.radl)
            #expect(third.status == .forbidden, "\(third.text)")
            #expect(ErrorFormat.im.matches(Data(third.text.utf8), status: 403), "IM's format: \(third.text)")
            #expect(third.text.contains("quota"), "\(third.text)")
            let left = try await client.call(
                .get, "/im/infrastructures", as: nil,
                headers: AuthorizationMatrixTests.credential("alice", dialect: "im", tokens: [:]))
            #expect(
                left.status == .ok && !left.text.contains("/infrastructures/"), "nothing half-created: \(left.text)")
            let native = try await client.call(.post, "/api/v1/machines", as: "alice", json: #"{"name":"q3"}"#)
            #expect(native.status == .forbidden, "\(native.text)")
            #expect((native.body["error"] as? [String: Any])?["message"] as? String ?? "" != "")
            let me = try await client.call(.get, "/api/v1/users/me", as: "alice")
            #expect((me.body["usage"] as? [String: Any])?["machines"] as? Int == 2)
            #expect((me.body["quota"] as? [String: Any])?["machines"] as? Int == 2)
            #expect(
                try await client.call(.post, "/api/v1/machines", as: "bob", json: #"{"name":"q4"}"#).status == .created)
            #expect(try await client.call(.get, "/comet/cluster/qc", as: "bob").status == .notFound)
            #expect(try await client.call(.delete, "/comet/cluster/qc", as: "bob").status == .notFound)
            #expect(try await client.call(.get, "/comet/cluster/qc", as: "alice").status == .ok)
        }
    }

    @Test("20 parallel creates against a quota of 5 make exactly 5 machines")
    func parallelQuota() async throws {
        try await TestGateway.run(Identity.configuration(aliceQuota: Quota(machines: 5))) { client, _ in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await client.call(.post, "/api/v1/machines", as: "alice", json: #"{"name":"p\#(index)"}"#)
                            .status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 5, "\(statuses)")
            #expect(statuses.filter { $0 == .forbidden }.count == 15, "\(statuses)")
            let list = try await client.call(.get, "/api/v1/machines", as: "alice")
            #expect(list.body["total"] as? Int == 5, "\(list.text)")
        }
    }
}
