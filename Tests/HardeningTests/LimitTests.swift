import Foundation
import Gateway
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Body limits, idle connections, regular-expression filters, free text and configuration numbers.
@Suite("Hardening: limits")
struct LimitTests {
    @Test("a 9 MiB body is 413 in every dialect's format, and the gateway keeps serving")
    func largeBodies() async throws {
        let big = "{\"name\":\"" + String(repeating: "x", count: 9 << 20) + "\"}"
        let routes: [(ErrorFormat, HTTPRequest.Method, String)] = [
            (.native, .post, "/api/v1/machines"), (.native, .post, "/api/v1/templates"),
            (.kimchi, .post, "/kimchi/vms"), (.kimchi, .post, "/kimchi/templates"),
            (.vserver, .post, "/vserver/virtual_machines"), (.comet, .post, "/comet/cluster"),
            (.vmpooler, .post, "/vmpooler/vm"), (.vmpooler, .post, "/vmpooler/ondemandvm"),
            (.im, .post, "/im/infrastructures"),
        ]
        try await TestGateway.run(HostileGateway.configuration()) { client, _ in
            for (format, method, path) in routes {
                var headers: HTTPFields = [.contentType: "application/json", .accept: "application/json"]
                if format == .im { headers[.authorization] = HostileGateway.imAuth }
                let (status, body) = try await client.execute(
                    uri: path, method: method, headers: headers, body: ByteBuffer(string: big)
                ) { (Int($0.status.code), Data(buffer: $0.body)) }
                #expect(status == 413, "\(path): \(status)")
                #expect(format.matches(body, status: status), "\(path): \(String(decoding: body, as: UTF8.self))")
            }
            #expect(try await client.send(.get, "/healthz").status == .ok)
        }
    }

    @Test("an idle connection, or one that never finishes its request head, is closed after idleTimeoutSeconds")
    func idleTimeout() async throws {
        var config = TestGateway.configuration()
        config.idleTimeoutSeconds = 0.5
        try await LiveGateway.with(config) { live in
            for opening in ["", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"] {
                let fd = try LiveGateway.connect(port: live.port)
                defer { close(fd) }
                _ = opening.withCString { send(fd, $0, strlen($0), 0) }
                let started = ContinuousClock.now
                var byte: UInt8 = 0
                let read = recv(fd, &byte, 1, 0)
                let waited = ContinuousClock.now - started
                #expect(read == 0, "the server should close the connection (sent \(opening.count) bytes)")
                #expect(waited < .seconds(3), "closed after \(waited)")
            }
        }
    }

    @Test("IM filters go through the bounded matcher: a catastrophic pattern is answered, not run for minutes")
    func catastrophicFilter() async throws {
        try await TestGateway.run(HostileGateway.configuration()) { client, _ in
            let radl =
                "description d ( text = '\(String(repeating: "a", count: 5000))!' )\n"
                + "system front ( memory.size >= 128m and disk.0.image.url = 'vmgate://gateway/demo' )\ndeploy front 0"
            let headers: HTTPFields = [
                .authorization: HostileGateway.imAuth, .contentType: "text/plain", .accept: "application/json",
            ]
            let created = try await client.execute(
                uri: "/im/infrastructures", method: .post, headers: headers, body: ByteBuffer(string: radl)
            ) { $0.status }
            #expect(created == .ok)
            for filter in ["(a%2B)%2B%24", "(a*)*b", "(a|aa)%2B%24", "(.*a){20}"] {
                let (status, body) = try await client.execute(
                    uri: "/im/infrastructures?filter=\(filter)", method: .get, headers: headers
                ) { (Int($0.status.code), Data(buffer: $0.body)) }
                #expect(status == 200 || status == 400, "\(filter): \(status)")
                if status == 400 { #expect(ErrorFormat.im.matches(body, status: 400)) }
            }
            let bad = try await client.execute(
                uri: "/im/infrastructures?filter=(unclosed", method: .get, headers: headers
            ) { $0.status }
            #expect(bad == .badRequest)
        }
    }

    @Test("a control character in a vmpooler tag is 400, not ok:true with the change dropped")
    func controlCharacterInTag() async throws {
        try await TestGateway.run(HostileGateway.configuration()) { client, _ in
            let targets = try await HostileGateway.prepare(client)
            for tags in [#"{"tags":{"project":"a\u0001b"}}"#, #"{"tags":{"a\u0000":"b"}}"#, #"{"tags":{"":"b"}}"#] {
                let reply = try await client.send(.put, "/vmpooler/vm/\(targets.pooledHost)", json: tags)
                #expect(reply.status == .badRequest, "\(tags): \(String(buffer: reply.body))")
                #expect(ErrorFormat.vmpooler.matches(Data(buffer: reply.body), status: 400))
            }
            let native = try await client.send(.patch, "/api/v1/machines/m1", json: #"{"tags":{"k":"v\u0007"}}"#)
            #expect(native.status == .badRequest)
            let fine = try await client.send(.put, "/vmpooler/vm/\(targets.pooledHost)", json: #"{"tags":{"k":"vé"}}"#)
            #expect(fine.status == .ok)
        }
    }

    @Test(
        "configuration numbers are checked with the key named",
        arguments: [
            ("templates: [{name: t, memoryMiB: 9223372036854775807}]", "templates[0].memoryMiB"),
            ("templates: [{name: t, disks: [{sizeGiB: 1e300}]}]", "templates[0].disks[0].sizeGiB"),
            ("backends: [{name: b, uri: 'test:///default', blankDiskGiB: 1e300}]", "backends[0].blankDiskGiB"),
            ("backends: [{name: b, uri: 'test:///default', keepaliveInterval: 9999999999}]", "keepaliveInterval"),
            ("groups: [{name: g, size: 9223372036854775807}]", "groups[0].size"),
            ("groups: [{name: g, lifetimeHours: 1e300}]", "groups[0].lifetimeHours"),
            ("callTimeoutSeconds: 1e300", "callTimeoutSeconds"),
            ("dialects: [{name: vmpooler, options: {taskLimit: '1e300'}}]", "taskLimit"),
        ])
    func configurationNumbers(yaml: String, key: String) async throws {
        let failure: String
        do {
            let config = try ConfigurationLoader.parse(yaml)
            try ConfigurationLoader.validate(config)
            // What `vmgate check-config` runs after validating.
            try await Gateway.checkDialects(config, logger: .init(label: "test"))
            Issue.record("\(yaml) was accepted")
            return
        } catch {
            failure = "\(error)"
        }
        #expect(failure.contains(key), "\(failure)")
    }
}
