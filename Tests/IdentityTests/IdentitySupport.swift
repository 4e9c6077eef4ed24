import Foundation
import GatewayCore
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Spec
import Testing

@testable import Gateway

#if canImport(Glibc)
    import Glibc
#endif

/// Users and a gateway with every dialect but vmpooler and IM, for identity tests.
enum Identity {
    /// The password of every test user.
    static let password = "s3cret-pass"
    /// One hash shared by all test users (a PBKDF2 derivation costs a noticeable fraction of a second).
    static let hash: String = try! PasswordHash.make(password)

    /// `alice` and `bob` (users; alice in group `team`), `root` (admin).
    static func users(aliceQuota: Quota? = nil) -> [GatewayConfiguration.UserSettings] {
        [
            .init(name: "alice", password: hash, groups: ["team"], quota: aliceQuota),
            .init(name: "bob", password: hash),
            .init(name: "root", role: "admin", password: hash),
        ]
    }

    /// The test gateway's configuration with users and the Kimchi, Comet, virtualization-server
    /// and native dialects.
    static func configuration(aliceQuota: Quota? = nil, dialects: String? = nil) -> GatewayConfiguration {
        var config = TestGateway.configuration()
        config.users = users(aliceQuota: aliceQuota)
        config.groups.append(.init(name: "team", backends: ["local"], template: "demo"))
        config.dialects = try! ConfigurationLoader.parse(
            dialects
                ?? """
                dialects:
                  - {name: native}
                  - {name: kimchi, options: {group: default}}
                  - {name: comet}
                  - {name: virtualization-server, options: {group: default}}
                """
        ).dialects
        return config
    }

    /// Sends one raw HTTP/1.1 request head (without the final blank line) to 127.0.0.1:`port`
    /// and returns the whole answer.
    static func raw(port: Int, _ head: String) throws -> String {
        let fd = try LiveGateway.connect(port: port, timeout: 20)
        defer { close(fd) }
        let request = head + "Connection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            answer += buffer[0..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// `Authorization: Basic` for a test user.
    static func basic(_ user: String) -> HTTPFields {
        [.authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }
}

extension TestClientProtocol {
    /// Sends a request as `user` (nil: no credential) with optional JSON and extra headers.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, as user: String?, json: String? = nil, headers: HTTPFields = [:],
        body: String? = nil
    ) async throws -> (status: HTTPResponse.Status, body: [String: Any], text: String, headers: HTTPFields) {
        var all = user.map(Identity.basic) ?? [:]
        if json != nil { all[.contentType] = "application/json" }
        for field in headers { all[field.name] = field.value }
        let payload = (json ?? body).map { ByteBuffer(string: $0) }
        return try await execute(uri: uri, method: method, headers: all, body: payload) {
            response in
            let text = String(buffer: response.body)
            let body = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
            return (response.status, body, text, response.headers)
        }
    }
}
