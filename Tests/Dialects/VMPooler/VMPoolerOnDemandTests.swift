import Foundation
import GatewayCore
import GatewayTestSupport
import Spec
import Testing

@Suite("vmpooler: on-demand requests")
struct VMPoolerOnDemandTests {
    @Test("POST /ondemandvm clones VMs for the caller; GET polls until ready with FQDNs; DELETE removes them")
    func onDemand() async throws {
        try await Pooler.run { client, gateway in
            let (status, body) = try await client.pooler(
                .post, "/vmpooler/api/v3/ondemandvm", json: #"{"debian":"2","centos-6-x86_64":1}"#)
            #expect(status == .created)
            let id = try #require((body as? [String: Any])?["request_id"] as? String)

            var answer: [String: Any] = [:]
            try await client.waitUntil("request ready") {
                let (status, body) = try await client.pooler(.get, "/vmpooler/api/v3/ondemandvm/\(id)")
                answer = body as? [String: Any] ?? [:]
                if status == .accepted {
                    #expect(answer["ready"] as? Bool == false)
                    #expect((answer["debian"] as? [String: Any])?["pending"] is String)
                }
                return status == .ok
            }
            #expect(answer["ready"] as? Bool == true)
            let debian = try #require((answer["debian"] as? [String: Any])?["hostname"] as? [String])
            let centos = try #require((answer["centos-6-x86_64"] as? [String: Any])?["hostname"] as? [String])
            #expect(debian.count == 2 && centos.count == 1)
            #expect((debian + centos).allSatisfy { $0.hasSuffix(".example.com") })
            let host = String(debian[0].prefix(15))
            #expect(try await client.vmInfo(host)["state"] as? String == "running")
            // The pools' ready stock was not touched: still 5 ready, plus 3 on-demand VMs running.
            let queue = try await client.poolerStatus()["queue"] as? [String: Any]
            #expect(queue?["ready"] as? Int == 5)
            #expect(queue?["running"] as? Int == 3)

            #expect(try await client.pooler(.delete, "/vmpooler/api/v3/ondemandvm/\(id)").status == .ok)
            try await client.waitUntil("on-demand VMs destroyed") {
                (try? await gateway.fleet.machine("local:\(host)")) == nil
            }
            let deleted = try await client.pooler(.get, "/vmpooler/api/v3/ondemandvm/\(id)").body as? [String: Any]
            #expect(deleted?["message"] as? String == "The request has been deleted")
        }
    }

    @Test("on-demand errors: unknown pool 404, too many 403, bad counts 400, duplicate id 409, unknown id 404")
    func errors() async throws {
        try await Pooler.run(Pooler.configuration(debian: 1, centos: 1, options: ["maxOnDemand": "3"])) {
            client, _ async throws in
            #expect(
                try await client.pooler(.post, "/vmpooler/ondemandvm", json: #"{"nosuch":"1"}"#).status == .notFound)
            #expect(
                try await client.pooler(.post, "/vmpooler/ondemandvm", json: #"{"debian":"4"}"#).status == .forbidden)
            #expect(
                try await client.pooler(.post, "/vmpooler/ondemandvm", json: #"{"debian":"x"}"#).status == .badRequest)
            #expect(try await client.pooler(.post, "/vmpooler/ondemandvm", json: "{}").status == .badRequest)
            #expect(
                try await client.pooler(.post, "/vmpooler/ondemandvm", json: #"{"debian":1,"request_id":"abc"}"#).status
                    == .created)
            #expect(
                try await client.pooler(.post, "/vmpooler/ondemandvm", json: #"{"debian":1,"request_id":"abc"}"#).status
                    == .conflict)
            #expect(try await client.pooler(.get, "/vmpooler/ondemandvm/nosuch").status == .notFound)
            #expect(try await client.pooler(.delete, "/vmpooler/ondemandvm/nosuch").status == .notFound)
        }
    }

    @Test("an on-demand request past its user's quota fails at once, naming the quota, and keeps no VM past it")
    func quota() async throws {
        var config = Pooler.configuration(debian: 1, centos: 1)
        config.users = [.init(name: "ops", password: try PasswordHash.make("ops-pass"), quota: Quota(machines: 1))]
        try await Pooler.run(config) { client, gateway in
            let token = try await client.newToken("ops", "ops-pass")
            let body =
                try await client.pooler(.post, "/vmpooler/ondemandvm", json: #"{"debian":"2"}"#, token: token).body
                as? [String: Any]
            let id = try #require(body?["request_id"] as? String)
            try await client.waitUntil("request failed on the quota") {
                let answer = try await client.pooler(.get, "/vmpooler/ondemandvm/\(id)")
                return ((answer.body as? [String: Any])?["message"] as? String)?.contains("quota") == true
            }
            let owned = await gateway.fleet.machines().machines.filter { $0.metadata.owner == "ops" }
            #expect(owned.count <= 1)
        }
    }

    @Test("an on-demand request that cannot be provisioned in time fails")
    func failure() async throws {
        var config = Pooler.configuration(debian: 1, centos: 1, options: ["onDemandTTL": "0.5"])
        config.groups.append(
            .init(name: "broken", backends: ["local"], template: "missing", size: 0, options: ["vmpooler": "true"]))
        try await Pooler.run(config) { client, _ in
            let body =
                try await client.pooler(.post, "/vmpooler/ondemandvm", json: #"{"broken":"1"}"#).body as? [String: Any]
            let id = try #require(body?["request_id"] as? String)
            try await client.waitUntil("request failed") {
                let answer = try await client.pooler(.get, "/vmpooler/ondemandvm/\(id)")
                return answer.status == .ok
                    && ((answer.body as? [String: Any])?["message"] as? String)?.contains("failed") == true
            }
        }
    }
}
