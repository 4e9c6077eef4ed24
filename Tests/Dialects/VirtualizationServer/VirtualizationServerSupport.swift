import Foundation
import Gateway
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// Gateways with virtualization-server (in a template-less group) and the native API.
enum VServerFixture {
    static func configuration(options: String = "{group: vserver}") -> GatewayConfiguration {
        var config = TestGateway.configuration()
        config.groups += try! ConfigurationLoader.parse("groups: [{name: vserver, backends: [local]}]").groups
        config.dialects = try! ConfigurationLoader.parse(
            """
            dialects:
              - name: native
              - name: virtualization-server
                options: \(options)
            """
        ).dialects
        return config
    }

    static func run(
        _ config: GatewayConfiguration = configuration(),
        _ body: @Sendable (any TestClientProtocol, Gateway) async throws -> Void
    ) async throws {
        try await TestGateway.run(config, body)
    }
}

extension TestClientProtocol {
    /// Sends a request and checks the answer is `{"error": "..."}` with `expect`; returns the message.
    @discardableResult
    func vserverError(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, expect: HTTPResponse.Status)
        async throws -> String
    {
        let body = try await self.json(method, uri, json: json, expect: expect)
        let message = body["error"] as? String ?? ""
        #expect(!message.isEmpty, "\(method) \(uri): \(body)")
        return message
    }
}
