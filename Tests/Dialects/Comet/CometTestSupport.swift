import Foundation
import Gateway
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Gateways for the Comet tests: the test-driver fixture, or real QEMU through libvirtd.
enum CometTest {
    /// The fixture gateway with the Comet dialect mounted at `/comet`.
    static func configuration() -> GatewayConfiguration {
        var config = TestGateway.configuration()
        config.dialects += try! ConfigurationLoader.parse("dialects: [{name: comet}]").dialects
        return config
    }

    static var qemuURI: String? { ProcessInfo.processInfo.environment["VMGATE_QEMU_URI"] }
    static var qemuEnabled: Bool { qemuURI != nil }

    /// A gateway over real QEMU (see `TestGateway.qemuConfiguration`) with native and Comet mounted.
    static func qemuConfiguration() -> GatewayConfiguration {
        var config = TestGateway.qemuConfiguration()
        config.dialects = try! ConfigurationLoader.parse("dialects: [{name: native}, {name: comet}]").dialects
        return config
    }

    /// A unique name for real-QEMU objects.
    static func unique(_ stem: String) -> String { "\(stem)-\(UUID().uuidString.prefix(8).lowercased())" }
}

extension TestClientProtocol {
    /// Asserts a Kimchi-style error body with `code` and returns its reason.
    @discardableResult
    func expectError(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, _ status: HTTPResponse.Status,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let body = try await self.json(method, uri, json: json, expect: status)
        #expect(body["code"] as? Int == Int(status.code), "\(uri)", sourceLocation: sourceLocation)
        let reason = body["reason"] as? String ?? ""
        #expect(!reason.isEmpty, "\(uri) has no reason", sourceLocation: sourceLocation)
        return reason
    }

    /// A JSON array answer with its status.
    func array(_ uri: String) async throws -> [[String: Any]] { try await list(uri) }

    /// Polls a Comet task until it is no longer running.
    func waitForTask(_ link: String) async throws -> [String: Any] {
        for _ in 0..<500 {
            let task = try await json(.get, link)
            if task["status"] as? String != "running" { return task }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("task \(link) did not finish")
        return [:]
    }
}
