import Foundation
public import Gateway
public import Hummingbird
public import HummingbirdTesting
import Logging
public import NIOCore
import Testing

/// Builds a gateway over a private libvirt test-driver node (a fixture file, so every test
/// has its own machines) and drives it over HTTP.
public enum TestGateway {
    /// `test:///<abs path>/node.xml`: private state per connection.
    public static var fixtureURI: String {
        let path = Bundle.module.path(forResource: "node", ofType: "xml", inDirectory: "Fixtures")!
        return "test://" + path
    }

    /// A configuration with one test-driver backend, a `demo` template cloned from
    /// `vmgate/base.qcow2`, a `default` group and the native dialect.
    public static func configuration(store: String = ":memory:") -> GatewayConfiguration {
        var config = GatewayConfiguration()
        config.store.path = store
        var backend = try! ConfigurationLoader.parse(
            """
            backends:
              - name: local
                uri: "\(fixtureURI)"
                defaultPool: vmgate
                network: default
            """
        ).backends[0]
        backend.blankDiskGiB = 1
        config.backends = [backend]
        config.templates = try! ConfigurationLoader.parse(
            """
            templates:
              - name: demo
                vcpus: 1
                memoryMiB: 128
                disks: [{pool: vmgate, volume: base.qcow2}]
            """
        ).templates
        config.groups = try! ConfigurationLoader.parse("groups: [{name: default, backends: [local], template: demo}]")
            .groups
        config.defaultGroup = "default"
        config.dialects = try! ConfigurationLoader.parse("dialects: [{name: native}]").dialects
        config.callTimeoutSeconds = 5
        return config
    }

    /// Runs `body` against a freshly built gateway and closes it afterwards.
    public static func run(
        _ config: GatewayConfiguration = configuration(),
        _ body: @Sendable (any TestClientProtocol, Gateway) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let gateway = try await Gateway.build(configuration: config, logger: logger)
        do {
            try await gateway.application.test(.router) { client in try await body(client, gateway) }
        } catch {
            await gateway.close()
            throw error
        }
        await gateway.close()
    }
}

extension TestClientProtocol {
    /// Sends a request with an optional JSON body and returns status and body.
    @discardableResult
    public func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil) async throws -> (
        status: HTTPResponse.Status, body: ByteBuffer, headers: HTTPFields
    ) {
        let body = json.map { ByteBuffer(string: $0) }
        var headers: HTTPFields = [:]
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            (response.status, response.body, response.headers)
        }
    }

    /// Sends a request and decodes the JSON answer.
    public func json(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, expect: HTTPResponse.Status = .ok
    )
        async throws -> [String: Any]
    {
        let (status, body, _) = try await send(method, uri, json: json)
        #expect(status == expect, "\(method) \(uri): \(String(buffer: body))")
        return (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
    }

    /// Sends a request and decodes a JSON array answer.
    public func list(_ uri: String) async throws -> [[String: Any]] {
        let (status, body, _) = try await send(.get, uri)
        #expect(status == .ok, "GET \(uri): \(String(buffer: body))")
        return (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [[String: Any]]) ?? []
    }
}
