import Foundation
import Gateway
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A test gateway with two vmpooler pools on the test driver.
enum Pooler {
    /// `jdoe` / `secret` and `alice` / `hunter2`.
    static let users =
        "jdoe:s1:f9b1214b8df1807692f471b9644de543bee606254884c13ba2e18f598eb2924d,"
        + "alice:s2:f6d3aad70dc81be193d9e4e4b48abe8719f8dfea1ab7186589495656e050f650"

    static func configuration(debian: Int = 3, centos: Int = 2, options: [String: String] = [:]) -> GatewayConfiguration
    {
        var config = TestGateway.configuration()
        config.groups += [
            .init(
                name: "debian-7-x86_64", backends: ["local"], template: "demo", size: debian, aliases: ["debian"],
                options: ["vmpooler": "true"]),
            .init(
                name: "centos-6-x86_64", backends: ["local"], template: "demo", size: centos,
                options: ["vmpooler": "true"]),
        ]
        let defaults = ["loopInterval": "0.05", "domain": "example.com"]
        config.dialects.append(.init(name: "vmpooler", options: defaults.merging(options) { _, new in new }))
        return config
    }

    /// Runs `body` once every pool is full.
    static func run(
        _ config: GatewayConfiguration = configuration(),
        _ body: @Sendable (any TestClientProtocol, Gateway) async throws -> Void
    ) async throws {
        try await TestGateway.run(config) { client, gateway in
            let expected = config.groups.filter { $0.options?["vmpooler"] == "true" }.reduce(0) { $0 + ($1.size ?? 0) }
            try await client.waitForReady(expected)
            try await body(client, gateway)
        }
    }
}

extension TestClientProtocol {
    /// Sends a request with headers and an optional body; returns status and decoded JSON.
    @discardableResult
    func pooler(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String? = nil,
        basic: (String, String)? = nil
    ) async throws -> (status: HTTPResponse.Status, body: Any?) {
        var headers: HTTPFields = [:]
        if json != nil { headers[.contentType] = "application/json" }
        if let token { headers[HTTPField.Name("X-AUTH-TOKEN")!] = token }
        if let (user, password) = basic {
            headers[.authorization] = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        {
            response in
            (
                response.status,
                try? JSONSerialization.jsonObject(with: Data(buffer: response.body), options: [.fragmentsAllowed])
            )
        }
    }

    /// The `/status` document.
    func poolerStatus() async throws -> [String: Any] {
        try await pooler(.get, "/vmpooler/status").body as? [String: Any] ?? [:]
    }

    /// Ready VMs over all pools.
    func readyCount() async throws -> Int {
        (try await poolerStatus()["queue"] as? [String: Any])?["ready"] as? Int ?? -1
    }

    /// Polls `/status` until `count` VMs are ready (or fails after `seconds`).
    func waitForReady(_ count: Int, seconds: Double = 20) async throws {
        try await waitUntil("\(count) ready VMs", seconds: seconds) { try await readyCount() == count }
    }

    /// Polls `condition` every 50 ms.
    func waitUntil(_ what: String, seconds: Double = 20, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }

    /// Checks out one VM of `pool`; returns its short hostname.
    func checkoutOne(_ pool: String, token: String? = nil) async throws -> String {
        let (status, body) = try await pooler(.post, "/vmpooler/vm/\(pool)", token: token)
        #expect(status == .ok)
        let host = ((body as? [String: Any])?[pool] as? [String: Any])?["hostname"] as? String
        return try #require(host)
    }

    /// `GET /vm/<host>`'s entry.
    func vmInfo(_ host: String, prefix: String = "/vmpooler") async throws -> [String: Any] {
        let (_, body) = try await pooler(.get, "\(prefix)/vm/\(host)")
        return (body as? [String: Any])?[host] as? [String: Any] ?? [:]
    }
}
