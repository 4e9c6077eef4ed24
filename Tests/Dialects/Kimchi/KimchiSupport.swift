import Foundation
import Gateway
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// Gateways with the Kimchi, virtualization-server and native dialects mounted side by side.
enum KimchiFixture {
    /// The test-driver configuration plus the dialects; `taskAfterSeconds` 0 makes every VM creation a task.
    static func configuration(taskAfterSeconds: String = "5") -> GatewayConfiguration {
        var config = TestGateway.configuration()
        config.groups += try! ConfigurationLoader.parse("groups: [{name: vserver, backends: [local]}]").groups
        config.dialects = try! ConfigurationLoader.parse(
            """
            dialects:
              - name: native
              - name: kimchi
                options: {taskAfterSeconds: "\(taskAfterSeconds)", screenshotSeconds: "2"}
              - name: virtualization-server
                options: {group: vserver}
            """
        ).dialects
        return config
    }

    /// Runs `body` against a gateway built from `config`.
    static func run(
        _ config: GatewayConfiguration = configuration(),
        _ body: @Sendable (any TestClientProtocol, Gateway) async throws -> Void
    ) async throws {
        try await TestGateway.run(config, body)
    }
}

extension TestClientProtocol {
    /// Sends a request and checks the answer is a Kimchi error `{"code": status, "reason": ...}`; returns the reason.
    @discardableResult
    func kimchiError(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, expect: HTTPResponse.Status)
        async throws -> String
    {
        let body = try await self.json(method, uri, json: json, expect: expect)
        #expect(body["code"] as? Int == Int(expect.code), "\(method) \(uri): \(body)")
        let reason = body["reason"] as? String ?? ""
        #expect(!reason.isEmpty, "\(method) \(uri) has no reason: \(body)")
        return reason
    }

    /// Names of the VMs Kimchi lists.
    func kimchiVMNames() async throws -> [String] {
        try await list("/kimchi/vms").compactMap { $0["name"] as? String }
    }
}
