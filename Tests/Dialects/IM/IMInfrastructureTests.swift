import Foundation
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway
@testable import IMDialect

@Suite("IM: infrastructures over HTTP")
struct IMInfrastructureTests {
    @Test("authentication: missing, unparsable and wrong credentials get 401")
    func authentication() async throws {
        try await TestGateway.run(IMTest.configuration(users: "alice:secret,bob:other")) { client, _ in
            #expect(try await client.im(.get, "/infrastructures", auth: nil).status == .unauthorized)
            #expect(try await client.im(.get, "/infrastructures", auth: "garbage").status == .unauthorized)
            let wrong = "id = im; type = InfrastructureManager; username = alice; password = nope"
            let reply = try await client.im(.get, "/infrastructures", accept: "application/json", auth: wrong)
            #expect(reply.status == .unauthorized)
            #expect(reply.object["code"] as? Int == 401)
            #expect(try await client.im(.get, "/infrastructures").status == .ok)
            #expect(try await client.im(.get, "/version", auth: nil).status == .ok)
        }
    }

    @Test("hashed users: sha256:<salt>:<hex of sha256(salt+password)>")
    func hashedUsers() async throws {
        let users = "alice:sha256:salt:bede90386d450cea8b77b822f8887065e4e5abf132c2f9dccfcc7fbd4cba5e35"
        try await TestGateway.run(IMTest.configuration(users: users)) { client, _ async throws in
            #expect(try await client.im(.get, "/infrastructures").status == .ok)
            let wrong = "id = im; type = InfrastructureManager; username = alice; password = sha256:salt:x"
            #expect(try await client.im(.get, "/infrastructures", auth: wrong).status == .unauthorized)
            #expect(try await client.im(.get, "/infrastructures", auth: IMTest.bobAuth).status == .unauthorized)
        }
    }

    @Test("create, list, inspect, stop, start and destroy a 2-VM infrastructure")
    func lifecycle() async throws {
        try await TestGateway.run(IMTest.configuration()) { client, gateway in
            let created = try await client.im(.post, "/infrastructures", body: IMTest.twoFronts)
            #expect(created.status == .ok)
            #expect(created.text.hasPrefix("http://"))
            #expect(created.text.contains("/im/infrastructures/"))
            let id = String(created.text.split(separator: "/").last!)
            #expect(created.headers[HTTPField.Name("InfID")!] == id)

            let list = try await client.im(.get, "/infrastructures")
            #expect(list.headers[.contentType]?.hasPrefix("text/uri-list") == true)
            #expect(list.text == created.text)
            #expect(try await client.im(.get, "/infrastructures?filter=front").text == created.text)
            #expect(try await client.im(.get, "/infrastructures?filter=nomatch").text.isEmpty)
            #expect(try await client.im(.get, "/infrastructures?filter=%5B").status == .badRequest)
            let plain = try await client.im(.get, "/infrastructures", accept: "text/plain")
            #expect(plain.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(plain.text == created.text)
            let json = try await client.im(.get, "/infrastructures", accept: "application/json")
            #expect((json.object["uri-list"] as? [[String: String]])?.first?["uri"] == created.text)

            let vms = try await client.im(.get, "/infrastructures/\(id)", accept: "application/json")
            let uris = (vms.object["uri-list"] as? [[String: String]])?.compactMap { $0["uri"] } ?? []
            #expect(uris.map { $0.split(separator: "/").last.map(String.init) } == ["0", "1"])

            let machines = await gateway.fleet.machines(group: "im-\(id)").machines
            #expect(machines.count == 2)
            #expect(machines.allSatisfy { $0.vcpus == 2 && $0.memoryMiB == 256 && $0.metadata.template == "demo" })
            #expect(machines.allSatisfy { $0.metadata.extra["im.infrastructure"] == id })

            let state = try await client.im(.get, "/infrastructures/\(id)/state", accept: "application/json")
            let body = state.object["state"] as? [String: Any]
            #expect(body?["state"] as? String == "configured")
            #expect(body?["vm_states"] as? [String: String] == ["0": "configured", "1": "configured"])
            #expect(
                try await client.im(.get, "/infrastructures/\(id)/state", accept: "text/plain").status
                    == .unsupportedMediaType)

            let radl = try await client.im(.get, "/infrastructures/\(id)/radl")
            #expect(radl.text.contains("system front"))
            #expect(radl.text.contains("deploy front 2"))
            let radlJSON = try await client.im(.get, "/infrastructures/\(id)/radl", accept: "application/json")
            #expect((radlJSON.object["radl"] as? String)?.contains("network publica") == true)
            let contmsg = try await client.im(.get, "/infrastructures/\(id)/contmsg", accept: "application/json")
            #expect((contmsg.object["contmsg"] as? String)?.contains("no configure recipes") == true)
            #expect(try await client.im(.get, "/infrastructures/\(id)/outputs").status == .forbidden)
            #expect(try await client.im(.get, "/infrastructures/\(id)/bogus").status == .notFound)

            #expect(try await client.im(.put, "/infrastructures/\(id)/stop").status == .ok)
            let stopped = try await client.im(.get, "/infrastructures/\(id)/state")
            #expect((stopped.object["state"] as? [String: Any])?["state"] as? String == "stopped")
            #expect(try await client.im(.put, "/infrastructures/\(id)/start").status == .ok)
            let started = try await client.im(.get, "/infrastructures/\(id)/state")
            #expect((started.object["state"] as? [String: Any])?["state"] as? String == "configured")
            #expect(try await client.im(.put, "/infrastructures/\(id)/explode").status == .notFound)

            #expect(try await client.im(.delete, "/infrastructures/\(id)").status == .ok)
            #expect(await gateway.fleet.machines(group: "im-\(id)").machines.isEmpty)
            #expect(gateway.fleet.groups.group("im-\(id)") == nil)
            #expect(try await client.im(.get, "/infrastructures/\(id)").status == .notFound)
            #expect(try await client.im(.get, "/infrastructures").text.isEmpty)
        }
    }

    @Test("users see only their own infrastructures")
    func isolation() async throws {
        try await TestGateway.run(IMTest.configuration()) { client, _ in
            let id = try await client.createInfrastructure()
            #expect(try await client.im(.get, "/infrastructures", auth: IMTest.bobAuth).text.isEmpty)
            #expect(try await client.im(.get, "/infrastructures/\(id)", auth: IMTest.bobAuth).status == .notFound)
            #expect(try await client.im(.delete, "/infrastructures/\(id)", auth: IMTest.bobAuth).status == .notFound)
            #expect(
                try await client.im(.get, "/infrastructures/\(id)/vms/0", auth: IMTest.bobAuth).status == .notFound)
            #expect(try await client.im(.get, "/infrastructures/nope").status == .notFound)
        }
    }

    @Test("content negotiation: errors as text, JSON and HTML; bodies as RADL or JSON; 415 otherwise")
    func negotiation() async throws {
        try await TestGateway.run(IMTest.configuration()) { client, gateway in
            let bad = "system front (\ncpu.count >= \n)\ndeploy front 1"
            let text = try await client.im(.post, "/infrastructures", body: bad)
            #expect(text.status == .badRequest)
            #expect(text.text.contains("line 3, column 1"))
            let json = try await client.im(.post, "/infrastructures", body: bad, accept: "application/json")
            #expect(json.object["code"] as? Int == 400)
            #expect((json.object["message"] as? String)?.contains("line 3") == true)
            let html = try await client.im(.post, "/infrastructures", body: bad, accept: "text/html")
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(html.text.contains("<h1>Code: 400.</h1>"))
            #expect(
                try await client.im(.post, "/infrastructures", body: "x", contentType: "application/xml").status
                    == .unsupportedMediaType)
            #expect(try await client.im(.post, "/infrastructures", body: "deploy ghost 1").status == .badRequest)
            let badImage = "system s (disk.0.image.url = 'vmgate://h/nothing')\ndeploy s 1"
            #expect(try await client.im(.post, "/infrastructures", body: badImage).status == .badRequest)
            #expect(await gateway.fleet.machines().machines.map(\.name) == ["fixture-one"], "nothing half-created")

            let body =
                #"[{"class":"system","id":"s","cpu.count_min":1,"memory.size_min":134217728},{"class":"deploy","system":"s","vm_number":1}]"#
            let created = try await client.im(
                .post, "/infrastructures", body: body, contentType: "application/json", accept: "application/json")
            #expect(created.status == .ok)
            #expect((created.object["uri"] as? String)?.contains("/infrastructures/") == true)
            #expect(
                try await client.im(.get, "/version", accept: "application/json").object["version"] as? String != nil)
            #expect(try await client.im(.get, "/infrastructures", accept: "image/png").status == .unsupportedMediaType)
        }
    }

    @Test("infrastructures, RADL and messages survive a restart")
    func persistence() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("im-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = IMTest.configuration(store: dir.appendingPathComponent("store.sqlite").path)
        let box = Box()
        try await TestGateway.run(config) { client, _ in
            box.id = try await client.createInfrastructure()
        }
        try await TestGateway.run(config) { client, _ in
            let list = try await client.im(.get, "/infrastructures")
            #expect(list.text.hasSuffix(box.id))
            #expect(try await client.im(.get, "/infrastructures/\(box.id)/radl").text.contains("deploy front 2"))
            #expect(try await client.im(.get, "/infrastructures/\(box.id)/contmsg").text.contains("Deployed VMs 0, 1"))
        }
    }

    final class Box: @unchecked Sendable { var id = "" }
}
