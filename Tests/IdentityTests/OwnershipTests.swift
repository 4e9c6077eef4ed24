import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Spec
import Testing

@testable import Gateway

@Suite("Identity: ownership across dialects")
struct OwnershipTests {
    @Test("a user's machine is theirs in every dialect: others get 404, admins reach it, no credential is 401")
    func ownership() async throws {
        try await TestGateway.run(Identity.configuration()) { client, _ in
            let created = try await client.call(.post, "/api/v1/machines", as: "alice", json: #"{"name":"a1"}"#)
            #expect(created.status == .created, "\(created.text)")
            #expect(try await client.call(.get, "/api/v1/machines/local:a1", as: "alice").status == .ok)
            #expect(try await client.call(.get, "/api/v1/machines/local:a1", as: "bob").status == .notFound)
            #expect(try await client.call(.get, "/api/v1/machines/a1", as: "bob").status == .notFound)
            #expect(try await client.call(.get, "/kimchi/vms/a1", as: "bob").status == .notFound)
            let bobList = try await client.call(.get, "/api/v1/machines", as: "bob")
            #expect(!bobList.text.contains("a1"))
            let denied = try await client.call(.delete, "/api/v1/machines/local:a1", as: "bob")
            #expect(denied.status == .notFound)
            #expect(try await client.call(.post, "/kimchi/vms/a1/start", as: "bob").status == .notFound)
            let none = try await client.call(.delete, "/api/v1/machines/local:a1", as: nil)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            #expect((none.body["error"] as? [String: Any])?["code"] as? Int == 401, "native error body: \(none.text)")
            let kimchi = try await client.call(.post, "/kimchi/vms/a1/start", as: nil)
            #expect(kimchi.status == .unauthorized && kimchi.body["reason"] != nil, "Kimchi's body: \(kimchi.text)")
            // Still there after every refusal; the owner and an admin act on it.
            #expect(try await client.call(.post, "/api/v1/machines/a1/actions/start", as: "alice").status == .ok)
            let stopped = try await client.call(.post, "/kimchi/vms/a1/stop", as: "root")
            #expect(stopped.status == .ok, "\(stopped.text)")
            #expect(try await client.call(.get, "/api/v1/machines/a1", as: "root").body["owner"] as? String == "alice")
            #expect(try await client.call(.delete, "/api/v1/machines/a1", as: "alice").status == .noContent)
        }
    }

    @Test("tasks are their starter's: another user neither lists nor reads them")
    func tasks() async throws {
        try await TestGateway.run(Identity.configuration()) { client, _ in
            let created = try await client.call(
                .post, "/comet/storagepools/vmgate/storagevolumes", as: "root", json: #"{"name":"tv1","capacity":1}"#)
            #expect(created.status.code < 300, "\(created.text)")
            let listed = try await client.execute(uri: "/api/v1/tasks", method: .get, headers: Identity.basic("root")) {
                try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [[String: Any]] ?? []
            }
            let id = try #require(listed.first?["id"] as? String)
            let mine = try await client.call(.get, "/api/v1/tasks/\(id)", as: "root")
            #expect(mine.status == .ok, "\(mine.text)")
            #expect(mine.body["owner"] as? String == "root")
            #expect(try await client.call(.get, "/api/v1/tasks/\(id)", as: "bob").status == .notFound)
            #expect(try await client.call(.get, "/kimchi/tasks/\(id)", as: "bob").status == .notFound)
            let bobs = try await client.call(.get, "/api/v1/tasks", as: "bob")
            #expect(bobs.status == .ok && !bobs.text.contains("\"owner\":\"root\""), "\(bobs.text)")
        }
    }

    @Test("machines of a group are shared with its members")
    func groupMembers() async throws {
        try await TestGateway.run(Identity.configuration()) { client, _ in
            let shared = try await client.call(
                .post, "/api/v1/machines", as: "root", json: #"{"name":"t1","group":"team"}"#)
            #expect(shared.status == .created, "\(shared.text)")
            #expect(try await client.call(.get, "/api/v1/machines/t1", as: "alice").status == .ok)
            #expect(try await client.call(.get, "/api/v1/machines/t1", as: "bob").status == .notFound)
        }
    }

    @Test("wrong passwords and unknown users are 401, templates and storage changes are for admins")
    func rolesAndCredentials() async throws {
        try await TestGateway.run(Identity.configuration()) { client, _ in
            let wrong = try await client.call(
                .get, "/api/v1/machines", as: nil,
                headers: [.authorization: "Basic " + Data("alice:nope".utf8).base64EncodedString()])
            #expect(wrong.status == .unauthorized)
            let template = #"{"name":"t2","vcpus":1,"memoryMiB":128}"#
            #expect(try await client.call(.post, "/api/v1/templates", as: "alice", json: template).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/templates", as: "alice").status == .ok)
            #expect(try await client.call(.get, "/api/v1/backends", as: "alice").status == .forbidden)
            for sneaky in ["/api/v1//templates", "/api/v1/templates/", "/api//v1/templates", "/api/v1/%74emplates"] {
                let status = try await client.call(.post, sneaky, as: "alice", json: template).status
                #expect(status == .forbidden || status == .notFound, "\(sneaky): \(status)")
            }
            #expect(try await client.call(.post, "/api/v1/templates", as: "root", json: template).status == .created)
            let kimchi = try await client.call(.post, "/kimchi/templates", as: "bob", json: #"{"name":"k"}"#)
            #expect(kimchi.status == .forbidden && kimchi.body["reason"] != nil)
        }
    }
}
