import Foundation
import GatewayTestSupport
import Testing

@Suite("vmpooler: status, summary, metrics")
struct VMPoolerStatusTests {
    @Test("status counts the queues and lists empty pools")
    func status() async throws {
        try await Pooler.run(Pooler.configuration(debian: 2, centos: 1)) { client, _ in
            _ = try await client.checkoutOne("centos-6-x86_64")
            _ = try await client.checkoutOne("debian-7-x86_64")
            #expect((try await client.poolerStatus()["queue"] as? [String: Any])?["running"] as? Int == 2)
            try await client.waitForReady(3)
            let doc = try await client.poolerStatus()
            let queue = doc["queue"] as? [String: Any]
            #expect(queue?["running"] as? Int == 2)
            #expect(queue?["ready"] as? Int == 3)
            #expect(queue?["pending"] as? Int == 0)
            #expect(queue?["total"] as? Int == 5)
            #expect((doc["capacity"] as? [String: Any])?["total"] as? Int == 3)
            #expect((doc["capacity"] as? [String: Any])?["percent"] as? Double == 100)
            #expect(((doc["clone"] as? [String: Any])?["count"] as? [String: Any])?["total"] as? Int == 5)
            #expect(
                (doc["status"] as? [String: Any])?["message"] as? String
                    == "Battle station fully armed and operational.")
            let duration = (doc["clone"] as? [String: Any])?["duration"] as? [String: Any]
            #expect((duration?["max"] as? Double ?? -1) >= (duration?["min"] as? Double ?? 0))
        }
    }

    @Test("status reports empty pools")
    func emptyPools() async throws {
        // A pool whose template does not exist never fills.
        var config = Pooler.configuration(debian: 1, centos: 1)
        config.groups.append(
            .init(name: "broken", backends: ["local"], template: "missing", size: 1, options: ["vmpooler": "true"]))
        try await TestGateway.run(config) { client, _ in
            try await client.waitForReady(2)
            let status = try await client.poolerStatus()["status"] as? [String: Any]
            #expect(status?["ok"] as? Bool == false)
            #expect(status?["message"] as? String == "Found 1 empty pool.")
            #expect(status?["empty"] as? [String] == ["broken"])
            #expect(try await client.pooler(.post, "/vmpooler/vm/broken").status == .serviceUnavailable)
        }
    }

    @Test("summary: today's clones, boots and tags; empty days are zeros; bad dates 400")
    func summary() async throws {
        try await Pooler.run { client, _ in
            let host = try await client.checkoutOne("debian-7-x86_64")
            _ = try await client.pooler(.put, "/vmpooler/vm/\(host)", json: #"{"tags":{"department":"engineering"}}"#)
            let (status, body) = try await client.pooler(.get, "/vmpooler/summary")
            #expect(status == .ok)
            let doc = try #require(body as? [String: Any])
            let clone = doc["clone"] as? [String: Any]
            #expect(((clone?["count"] as? [String: Any])?["total"] as? Int ?? 0) >= 5)
            let boot = doc["boot"] as? [String: Any]
            #expect(((boot?["count"] as? [String: Any])?["total"] as? Int ?? 0) >= 5)
            #expect((doc["tag"] as? [String: Any])?["department"] as? [String: Int] == ["engineering": 1, "total": 1])
            #expect((doc["daily"] as? [Any])?.count == 1)

            let (s2, b2) = try await client.pooler(.get, "/vmpooler/api/v1/summary?from=2015-03-10&to=2015-03-11")
            #expect(s2 == .ok)
            let daily = try #require((b2 as? [String: Any])?["daily"] as? [[String: Any]])
            #expect(daily.map { $0["date"] as? String } == ["2015-03-10", "2015-03-11"])
            let day = daily[0]["boot"] as? [String: Any]
            #expect((day?["count"] as? [String: Any])?["total"] as? Int == 0)
            #expect((day?["duration"] as? [String: Any])?["average"] as? Double == 0)
            #expect((daily[0]["tag"] as? [String: Any])?.isEmpty == true)

            for bad in [
                "from=2015-13-01", "from=yesterday", "from=2015-03-11&to=2015-03-10", "to=2999-01-01",
                "from=2015-02-30",
            ] {
                let (status, body) = try await client.pooler(.get, "/vmpooler/summary?\(bad)")
                #expect(status == .badRequest, "\(bad)")
                #expect((body as? [String: Any])?["ok"] as? Bool == false)
            }
        }
    }
}
