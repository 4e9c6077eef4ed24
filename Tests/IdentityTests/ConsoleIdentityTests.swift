import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

@Suite("Identity: the Comet console")
struct ConsoleIdentityTests {
    @Test("a console needs the owner's credential: none is 401, another user's is 404, the owner's reaches the VM")
    func consoleCredential() async throws {
        try await TestGateway.run(Identity.configuration()) { client, _ in
            _ = try await client.call(.post, "/comet/cluster", as: "alice", json: #"{"name":"cc","template":"demo"}"#)
            _ = try await client.call(.post, "/comet/cluster/cc/vms", as: "alice", json: #"{"name":"cv"}"#)
            _ = try await client.call(.post, "/comet/cluster/cc/vms/cv/start", as: "alice")
            let path = "/comet/cluster/cc/vms/cv/console/serial"
            let anonymous = try await client.call(.get, path, as: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(ErrorFormat.comet.matches(Data(anonymous.text.utf8), status: 401), "\(anonymous.text)")
            #expect(try await client.call(.get, path, as: "bob").status == .notFound)
            // The owner passes every check; the test driver has no serial consoles (501).
            #expect(try await client.call(.get, path, as: "alice").status == .notImplemented)
            #expect(try await client.call(.get, path, as: "root").status == .notImplemented)
        }
    }
}
