import Foundation
import GatewayTestSupport
import HTTPTypes
import Testing

@Suite("vmpooler: pools, checkout, VM routes")
struct VMPoolerCheckoutTests {
    @Test("pools fill in the background and are listed at every prefix")
    func poolsFill() async throws {
        try await Pooler.run { client, gateway in
            for prefix in ["/vmpooler", "/vmpooler/api/v1", "/vmpooler/api/v3"] {
                let (status, body) = try await client.pooler(.get, "\(prefix)/vm")
                #expect(status == .ok)
                #expect(body as? [String] == ["centos-6-x86_64", "debian-7-x86_64"])
            }
            let status = try await client.poolerStatus()
            #expect((status["capacity"] as? [String: Any])?["current"] as? Int == 5)
            #expect((status["capacity"] as? [String: Any])?["total"] as? Int == 5)
            #expect((status["capacity"] as? [String: Any])?["percent"] as? Double == 100)
            #expect((status["status"] as? [String: Any])?["ok"] as? Bool == true)
            let clone = status["clone"] as? [String: Any]
            #expect((clone?["count"] as? [String: Any])?["total"] as? Int == 5)
            // The VMs are real machines of the fleet, in their pool's group, marked ready (written
            // behind the table, so within moments).
            try await client.waitUntil("ready state in the machines' metadata") {
                let machines = await gateway.fleet.machines(group: "debian-7-x86_64").machines
                return machines.count == 3
                    && machines.allSatisfy { $0.name.count == 15 && $0.metadata.extra["vmpooler.state"] == "ready" }
            }
        }
    }

    @Test("checkout by pool, by a+a+b and by JSON body; v1 adds domain, v3 answers FQDNs")
    func checkoutForms() async throws {
        try await Pooler.run(Pooler.configuration(debian: 4, centos: 3)) { client, _ in
            let (s1, b1) = try await client.pooler(.post, "/vmpooler/vm/debian-7-x86_64")
            #expect(s1 == .ok)
            let one = b1 as? [String: Any]
            #expect(one?["ok"] as? Bool == true)
            #expect(one?["domain"] as? String == "example.com")
            let host = try #require((one?["debian-7-x86_64"] as? [String: Any])?["hostname"] as? String)
            #expect(host.count == 15 && !host.contains("."))

            let (s2, b2) = try await client.pooler(
                .post, "/vmpooler/api/v1/vm/debian-7-x86_64+debian-7-x86_64+centos-6-x86_64")
            #expect(s2 == .ok)
            let two = b2 as? [String: Any]
            #expect(((two?["debian-7-x86_64"] as? [String: Any])?["hostname"] as? [String])?.count == 2)
            #expect((two?["centos-6-x86_64"] as? [String: Any])?["hostname"] is String)

            let (s3, b3) = try await client.pooler(
                .post, "/vmpooler/api/v3/vm", json: #"{"centos-6-x86_64":"1","debian":1}"#)
            #expect(s3 == .ok)
            let three = b3 as? [String: Any]
            let fqdn = try #require((three?["centos-6-x86_64"] as? [String: Any])?["hostname"] as? String)
            #expect(fqdn.hasSuffix(".example.com") && fqdn.count == 15 + ".example.com".count)
            // The alias answers under the requested name.
            #expect((three?["debian"] as? [String: Any])?["hostname"] is String)
            #expect(three?["domain"] == nil)
            // GET accepts the FQDN.
            let info = try await client.vmInfo(String(fqdn.prefix(15)))
            #expect(info["state"] as? String == "running")
            #expect(try await client.pooler(.get, "/vmpooler/api/v3/vm/\(fqdn)").status == .ok)
        }
    }

    @Test("a checkout is written behind the answer: the machine's metadata and the history follow")
    func writeBehind() async throws {
        try await Pooler.run(Pooler.configuration(debian: 3, centos: 0)) { client, gateway in
            var hosts: [String] = []
            for _ in 0..<3 { hosts.append(try await client.checkoutOne("debian-7-x86_64")) }
            try await client.waitUntil("checkouts written to the machines") {
                var written = 0
                for host in hosts {
                    let metadata = try await gateway.fleet.machine("local:\(host)").metadata
                    if metadata.extra["vmpooler.state"] == "running", metadata.leaseStart != nil,
                        metadata.lifetimeHours != nil
                    {
                        written += 1
                    }
                }
                return written == hosts.count
            }
            // /summary writes pending history before it reads; the checkouts are in the store.
            #expect(try await client.pooler(.get, "/vmpooler/summary").status == .ok)
            let checkouts = try await gateway.fleet.store.history(
                kind: "checkout", from: Date().addingTimeInterval(-60), to: Date().addingTimeInterval(1))
            #expect(Set(checkouts.map(\.subject)) == Set(hosts))
        }
    }

    @Test("checkout errors: unknown pool 404, not enough VMs 503 with nothing taken, bad bodies 400")
    func checkoutErrors() async throws {
        try await Pooler.run { client, _ in
            let (s1, b1) = try await client.pooler(.post, "/vmpooler/vm/nosuchpool")
            #expect(s1 == .notFound)
            #expect((b1 as? [String: Any])?["ok"] as? Bool == false)
            let (s2, b2) = try await client.pooler(
                .post, "/vmpooler/vm", json: #"{"centos-6-x86_64":"2","debian-7-x86_64":"4"}"#)
            #expect(s2 == .serviceUnavailable)
            #expect((b2 as? [String: Any])?["ok"] as? Bool == false)
            #expect(try await client.readyCount() == 5)
            #expect(
                try await client.pooler(.post, "/vmpooler/vm", json: #"{"centos-6-x86_64":"x"}"#).status == .badRequest)
            #expect(
                try await client.pooler(.post, "/vmpooler/vm", json: #"{"centos-6-x86_64":0}"#).status == .badRequest)
            #expect(try await client.pooler(.post, "/vmpooler/vm", json: "[1,2]").status == .badRequest)
            #expect(try await client.pooler(.post, "/vmpooler/vm", json: "{").status == .badRequest)
            #expect(try await client.pooler(.post, "/vmpooler/vm").status == .badRequest)
            #expect(try await client.pooler(.post, "/vmpooler/vm/centos-6-x86_64+nosuch").status == .notFound)
            #expect(try await client.readyCount() == 5)
        }
    }

    @Test("GET, PUT and DELETE a checked-out VM; the pool refills")
    func vmLifecycle() async throws {
        try await Pooler.run { client, gateway in
            let host = try await client.checkoutOne("centos-6-x86_64")
            var info = try await client.vmInfo(host)
            #expect(info["template"] as? String == "demo")
            #expect(info["lifetime"] as? Int == 24)
            #expect(info["running"] as? Double == 0)
            #expect(info["state"] as? String == "running")
            #expect(info["domain"] as? String == "example.com")
            #expect(info["tags"] as? [String: String] == [:])
            #expect(info["ip"] is String)

            #expect(try await client.pooler(.put, "/vmpooler/vm/\(host)", json: #"{"lifetime":"2"}"#).status == .ok)
            #expect(
                try await client.pooler(
                    .put, "/vmpooler/api/v1/vm/\(host)", json: #"{"tags":{"department":"engineering","user":"jdoe"}}"#
                ).status == .ok)
            info = try await client.vmInfo(host)
            #expect(info["lifetime"] as? Int == 2)
            #expect(info["tags"] as? [String: String] == ["department": "engineering", "user": "jdoe"])
            // Persisted on the machine itself.
            let machine = try await gateway.fleet.machine("local:\(host)")
            #expect(machine.metadata.lifetimeHours == 2)
            #expect(machine.metadata.leaseStart != nil)
            #expect(machine.metadata.tags["department"] == "engineering")
            #expect(machine.metadata.extra["vmpooler.state"] == "running")

            for bad in [
                #"{"lifetime":0}"#, #"{"lifetime":"abc"}"#, #"{"lifetime":10000}"#, #"{"tags":"x"}"#,
                #"{"tags":{"a":[1]}}"#, #"{"color":"red"}"#, "nope",
            ] {
                let (status, body) = try await client.pooler(.put, "/vmpooler/vm/\(host)", json: bad)
                #expect(status == .badRequest, "\(bad)")
                #expect((body as? [String: Any])?["ok"] as? Bool == false)
            }
            #expect(try await client.vmInfo(host)["lifetime"] as? Int == 2)
            #expect(
                try await client.pooler(.put, "/vmpooler/vm/nosuchhost", json: #"{"lifetime":1}"#).status == .notFound)
            #expect(try await client.pooler(.get, "/vmpooler/vm/nosuchhost").status == .notFound)

            // Refilled while checked out.
            try await client.waitForReady(5)
            let (status, body) = try await client.pooler(.delete, "/vmpooler/vm/\(host)")
            #expect(status == .ok)
            #expect((body as? [String: Any])?["ok"] as? Bool == true)
            try await client.waitUntil("machine destroyed") {
                (try? await gateway.fleet.machine("local:\(host)")) == nil
            }
            #expect(try await client.vmInfo(host)["state"] as? String == "destroyed")
            #expect(try await client.pooler(.delete, "/vmpooler/vm/\(host)").status == .notFound)
            // A ready (not checked-out) VM cannot be deleted.
            let ready = await gateway.fleet.machines(group: "centos-6-x86_64").machines.first!.name
            #expect(try await client.pooler(.delete, "/vmpooler/vm/\(ready)").status == .notFound)
            #expect(try await client.vmInfo(ready)["state"] as? String == "ready")
        }
    }

    @Test("50 parallel checkouts against a pool of 20: exactly 20 succeed, no VM twice")
    func concurrentCheckout() async throws {
        try await Pooler.run(Pooler.configuration(debian: 20, centos: 0, options: ["experimentalFeatures": "true"])) {
            client, _ in
            // No refills during the race: the pool's target drops to 0, its 20 ready VMs stay.
            let (resize, _) = try await client.pooler(
                .post, "/vmpooler/api/v3/config/poolsize", json: #"{"debian-7-x86_64":"0"}"#)
            #expect(resize == .created)
            let results = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let (status, body) = try await client.pooler(.post, "/vmpooler/vm/debian-7-x86_64")
                        let host =
                            ((body as? [String: Any])?["debian-7-x86_64"] as? [String: Any])?["hostname"] as? String
                        return (status, host)
                    }
                }
                var all: [(HTTPResponse.Status, String?)] = []
                for try await result in group { all.append(result) }
                return all
            }
            let hosts = results.compactMap(\.1)
            #expect(results.filter { $0.0 == .ok }.count == 20)
            #expect(results.filter { $0.0 == .serviceUnavailable }.count == 30)
            #expect(Set(hosts).count == 20)
            #expect(hosts.count == 20)
        }
    }
}
