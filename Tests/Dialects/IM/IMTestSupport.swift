import Foundation
import Gateway
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Builds gateways with the IM dialect and sends IM requests.
enum IMTest {
    static let auth =
        "id = im; type = InfrastructureManager; username = alice; password = secret\\nid = vg; type = vmgate; group = default"
    static let bobAuth = "id = im; type = InfrastructureManager; username = bob; password = other"

    static func configuration(users: String? = nil, store: String = ":memory:") -> GatewayConfiguration {
        var config = TestGateway.configuration(store: store)
        let options = users.map { ", options: {users: \"\($0)\"}" } ?? ""
        config.dialects = try! ConfigurationLoader.parse("dialects: [{name: native}, {name: im\(options)}]").dialects
        return config
    }

    static let twoFronts = """
        network publica (outbound = 'yes')
        system front (
          cpu.count >= 2 and
          memory.size >= 256m and
          net_interface.0.connection = 'publica' and
          disk.0.image.url = 'vmgate://gateway/demo' and
          disk.0.os.credentials.username = 'cloudadm'
        )
        deploy front 2
        """
}

struct IMReply {
    var status: HTTPResponse.Status
    var text: String
    var headers: HTTPFields
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
}

extension TestClientProtocol {
    @discardableResult
    func im(
        _ method: HTTPRequest.Method, _ path: String, body: String? = nil, contentType: String? = nil,
        accept: String? = nil,
        auth: String? = IMTest.auth
    ) async throws -> IMReply {
        var headers: HTTPFields = [:]
        if let auth { headers[HTTPField.Name("Authorization")!] = auth }
        if let contentType { headers[.contentType] = contentType }
        if let accept { headers[.accept] = accept }
        return try await execute(
            uri: "/im" + path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) {
            IMReply(status: $0.status, text: String(buffer: $0.body), headers: $0.headers)
        }
    }

    /// Creates an infrastructure and returns its id.
    func createInfrastructure(_ radl: String = IMTest.twoFronts, auth: String = IMTest.auth) async throws -> String {
        let reply = try await im(.post, "/infrastructures", body: radl, auth: auth)
        #expect(reply.status == .ok, "\(reply.text)")
        return String(reply.text.split(separator: "/").last ?? "")
    }
}
