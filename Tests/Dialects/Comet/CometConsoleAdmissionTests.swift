import Foundation
import Gateway
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Spec
import Synchronization
import Testing

@testable import CometDialect

@Suite("Comet console admission: Origin and one session per console")
struct CometConsoleAdmissionTests {
    static let path = "/comet/cluster/con/vms/c1/console/serial"

    static func configuration(allowedOrigins: String? = nil) -> GatewayConfiguration {
        var config = TestGateway.configuration()
        let options = allowedOrigins.map { ", options: {allowedOrigins: \"\($0)\"}" } ?? ""
        config.dialects += try! ConfigurationLoader.parse("dialects: [{name: comet\(options)}]").dialects
        return config
    }

    @Test("Origin: same host:port (default ports optional), allow-listed origins, no Origin; others refused")
    func originDecision() {
        let permits = CometConsoleOrigin.permits
        #expect(permits(nil, "gw:8080", []))
        #expect(permits("http://gw:8080", "gw:8080", []))
        #expect(permits("https://GW:8080/", "gw:8080", []))
        #expect(permits("http://gw", "gw:80", []))
        #expect(permits("https://gw:443", "gw", []))
        #expect(!permits("http://gw:8081", "gw:8080", []))
        #expect(!permits("http://evil.example", "gw:8080", []))
        #expect(!permits("http://gw.evil.example:8080", "gw:8080", []))
        #expect(!permits("null", "gw:8080", []))
        #expect(!permits("http://gw:8080", nil, []))
        #expect(!permits("https://gw:80", "gw", []), "port 80 is not https's default")
        let allowed = CometConsoleOrigin.allowList(" https://ops.example:8443 ,console.example,")
        #expect(allowed == ["https://ops.example:8443", "console.example"])
        #expect(permits("https://ops.example:8443", "gw:8080", allowed))
        #expect(!permits("http://ops.example:8443", "gw:8080", allowed), "the scheme of a full origin counts")
        #expect(permits("http://console.example", "gw:8080", allowed))
        #expect(!permits("http://console.example.evil", "gw:8080", allowed))
    }

    @Test("a cross-origin console request gets 403 in Comet's format before the VM is even looked up")
    func crossOriginRefused() async throws {
        try await TestGateway.run(Self.configuration(allowedOrigins: "https://ops.example")) { client, _ in
            _ = try await client.json(
                .post, "/comet/cluster", json: #"{"name":"con","template":"demo"}"#, expect: .created)
            _ = try await client.json(.post, "/comet/cluster/con/vms", json: #"{"name":"c1"}"#, expect: .created)
            _ = try await client.json(.post, "/comet/cluster/con/vms/c1/start")
            let refused = try await Self.get(client, Self.path, origin: "http://evil.example")
            #expect(refused.status == .forbidden)
            #expect(refused.body["code"] as? Int == 403)
            #expect((refused.body["reason"] as? String)?.contains("evil.example") == true)
            #expect(
                try await Self.get(client, "/comet/cluster/con/vms/nope/console/serial", origin: "http://evil.example")
                    .status == .forbidden)
            // Allowed or absent origins reach the VM checks: the test driver has no serial consoles (501).
            #expect(try await Self.get(client, Self.path, origin: "https://ops.example").status == .notImplemented)
            #expect(try await Self.get(client, Self.path, origin: nil).status == .notImplemented)
            #expect(
                try await Self.get(client, "/comet/cluster/con/vms/nope/console/serial", origin: nil).status
                    == .notFound)
        }
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, origin: String?) async throws -> (
        status: HTTPResponse.Status, body: [String: Any]
    ) {
        var headers: HTTPFields = [:]
        if let origin { headers[.origin] = origin }
        return try await client.execute(uri: uri, method: .get, headers: headers) { response in
            let body = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            return (response.status, body ?? [:])
        }
    }
}

/// A console stream that only records whether it was closed.
final class RecordingConsole: ConsoleStream {
    let closed = Atomic<Bool>(false)
    var isClosed: Bool { closed.load(ordering: .relaxed) }
    func read() async throws -> [UInt8]? { nil }
    func write(_ bytes: [UInt8]) async throws {}
    func close() async { closed.store(true, ordering: .relaxed) }
}

@Suite("Comet console sessions")
struct CometConsoleSessionTests {
    @Test("a console in use is refused (409) unless forced; forcing closes the current session")
    func secondAttach() async throws {
        #expect(CometConsoleSessions.allows(inUse: false, force: false))
        #expect(!CometConsoleSessions.allows(inUse: true, force: false))
        #expect(CometConsoleSessions.allows(inUse: true, force: true))

        let sessions = CometConsoleSessions()
        let first = try await sessions.claim("local:vm1", force: false)
        let console = RecordingConsole()
        #expect(await sessions.attach(console, to: first))
        #expect(await sessions.inUse("local:vm1"))
        #expect(!(await sessions.inUse("local:vm2")))
        await #expect(throws: SpecError.self) { try await sessions.claim("local:vm1", force: false) }
        do {
            _ = try await sessions.claim("local:vm1", force: false)
        } catch let error as SpecError {
            #expect(error.kind == .conflict)
        }
        #expect(!console.isClosed, "a refused attach leaves the session alone")
        _ = try await sessions.claim("local:vm2", force: false)

        let second = try await sessions.claim("local:vm1", force: true)
        #expect(console.isClosed, "forcing ends the current session")
        await sessions.release(first)
        #expect(await sessions.inUse("local:vm1"), "the replaced session's release does not free the new one")
        await sessions.release(second)
        #expect(!(await sessions.inUse("local:vm1")))
        _ = try await sessions.claim("local:vm1", force: false)
    }

    @Test("only the same user or an admin may force a console away from its holder")
    func takeOverByPrincipal() async throws {
        let sessions = CometConsoleSessions()
        let alice = Principal(user: "alice")
        _ = try await sessions.claim("local:vm1", force: false, by: alice)
        #expect(await sessions.mayTakeOver("local:vm1", by: alice))
        #expect(await !sessions.mayTakeOver("local:vm1", by: Principal(user: "bob")))
        #expect(await sessions.mayTakeOver("local:vm1", by: Principal(user: "root", role: .admin)))
        await #expect(throws: SpecError.self) {
            try await sessions.claim("local:vm1", force: true, by: Principal(user: "bob"))
        }
        _ = try await sessions.claim("local:vm1", force: true, by: alice)
        #expect(await sessions.mayTakeOver("local:vm2", by: Principal(user: "bob")), "a free console")
    }

    @Test("a console opened after a forced attach took over is closed, not attached")
    func lateAttach() async throws {
        let sessions = CometConsoleSessions()
        let slow = try await sessions.claim("local:vm1", force: false)
        let taker = try await sessions.claim("local:vm1", force: true)
        let late = RecordingConsole()
        #expect(!(await sessions.attach(late, to: slow)))
        #expect(late.isClosed)
        let current = RecordingConsole()
        #expect(await sessions.attach(current, to: taker))
        #expect(!current.isClosed)
    }

    @Test("a session ending within the grace period does not block the next attach; a held one does")
    func grace() async throws {
        let sessions = CometConsoleSessions()
        let held = try await sessions.claim("local:vm1", force: false)
        #expect(await sessions.inUse("local:vm1", grace: .milliseconds(100)))
        let ending = Task {
            try await Task.sleep(for: .milliseconds(100))
            await sessions.release(held)
        }
        #expect(!(await sessions.inUse("local:vm1", grace: .seconds(5))))
        try await ending.value
    }

    @Test("force is asked with force=1, true or yes")
    func forceQuery() {
        #expect(CometDialect.forces(query: "1"))
        #expect(CometDialect.forces(query: "TRUE"))
        #expect(!CometDialect.forces(query: "0"))
        #expect(!CometDialect.forces(query: nil))
    }
}
