import Foundation
import GatewayCore
import GatewayTestSupport
import HTTPTypes
import Testing
import VMPoolerDialect

@Suite("vmpooler: pool-changing routes behind experimentalFeatures")
struct VMPoolerConfigGateTests {
    /// Every route that changes pools at run time, with a body that would succeed.
    static let changing: [(HTTPRequest.Method, String, String?)] = [
        (.post, "/vmpooler/config/poolsize", #"{"centos-6-x86_64":"3"}"#),
        (.delete, "/vmpooler/config/poolsize/centos-6-x86_64", nil),
        (.post, "/vmpooler/api/v3/config/pooltemplate", #"{"centos-6-x86_64":"demo"}"#),
        (.delete, "/vmpooler/api/v1/config/pooltemplate/centos-6-x86_64", nil),
        (.post, "/vmpooler/api/v3/poolreset", #"{"centos-6-x86_64":"1"}"#),
    ]

    @Test("without experimentalFeatures every pool-changing route answers 405 {ok: false} and changes nothing")
    func offByDefault() async throws {
        try await Pooler.run(Pooler.configuration(options: ["users": Pooler.users])) { client, _ in
            let token = try await client.newToken("jdoe", "secret")
            for (method, path, json) in Self.changing {
                let (status, body) = try await client.pooler(method, path, json: json, token: token)
                #expect(status == .methodNotAllowed, "\(method) \(path)")
                #expect((body as? [String: Any])?["ok"] as? Bool == false)
            }
            let config = try await client.pooler(.get, "/vmpooler/config").body as? [String: Any]
            let pools = config?["pool_configuration"] as? [[String: Any]] ?? []
            #expect(pools.first { $0["name"] as? String == "centos-6-x86_64" }?["size"] as? Int == 2)
        }
    }

    @Test("with experimentalFeatures and auth, the routes need a valid token (401) and keep sizes bounded")
    func tokenRequired() async throws {
        let options = ["users": Pooler.users, "experimentalFeatures": "true"]
        var config = Pooler.configuration(options: options)
        config.users = [.init(name: "ops", role: "admin", password: try PasswordHash.make("ops-pass"))]
        try await Pooler.run(config) { client, _ in
            for (method, path, json) in Self.changing {
                #expect(try await client.pooler(method, path, json: json).status == .unauthorized, "\(path)")
                #expect(
                    try await client.pooler(method, path, json: json, token: "bogus").status == .unauthorized, "\(path)"
                )
            }
            let path = "/vmpooler/config/poolsize"
            let user = try await client.newToken("alice", "hunter2")
            let (refused, _) = try await client.pooler(.post, path, json: #"{"centos-6-x86_64":"3"}"#, token: user)
            #expect(refused == .forbidden, "a user who is not an administrator")
            let token = try await client.newToken("ops", "ops-pass")
            #expect(
                try await client.pooler(.post, path, json: #"{"centos-6-x86_64":"1001"}"#, token: token).status
                    == .badRequest)
            #expect(
                try await client.pooler(.post, path, json: #"{"centos-6-x86_64":"3"}"#, token: token).status
                    == .created)
            let (reset, _) = try await client.pooler(.delete, "\(path)/centos-6-x86_64", token: token)
            #expect(reset == .created)
        }
    }

    @Test("experimentalFeatures must be true or false")
    func badOption() throws {
        #expect(throws: (any Error).self) {
            try VMPoolerSettings(options: ["experimentalFeatures": "yes"])
        }
        #expect(try VMPoolerSettings(options: [:]).experimentalFeatures == false)
        #expect(try VMPoolerSettings(options: ["experimentalFeatures": "true"]).experimentalFeatures)
    }
}
