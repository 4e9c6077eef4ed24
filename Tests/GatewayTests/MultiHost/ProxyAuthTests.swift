import Foundation
import GatewayTestSupport
import Hummingbird
import Logging
import Proxy
import Spec
import Testing

/// What the proxy backend sends upstream: credentials, and how it maps foreign answers.
@Suite("Multi-host: proxy credentials and errors")
struct ProxyAuthTests {
    /// A stand-in upstream that checks `Authorization` and answers like vmgate (or not).
    static func withUpstream(_ body: (Int) async throws -> Void) async throws {
        let router = Router()
        router.get("/api/v1/backends/b/machines") { request, _ -> Response in
            let auth = request.headers[.authorization] ?? ""
            guard auth == "Bearer t0k" || auth == "Basic " + Data("ops:pw".utf8).base64EncodedString() else {
                return Response(status: .unauthorized, body: .init(byteBuffer: ByteBuffer(string: "who are you?")))
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "[]")))
        }
        router.get("/api/v1/backends/b/machines/:name") { _, context -> Response in
            let name = try context.parameters.require("name")
            let body = #"{"error":{"code":409,"kind":"conflict","message":"\#(name) is busy"}}"#
            return Response(status: .conflict, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/api/v1/backends/b/host") { _, _ -> Response in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "not json")))
        }
        router.get("/api/v1/backends/b/pools") { _, _ -> Response in
            Response(status: .badGateway, body: .init(byteBuffer: ByteBuffer(string: "")))
        }
        let port = try LiveGateway.freePort()
        var logger = Logger(label: "fake-upstream")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        while !LiveGateway.isListening(port) { try await Task.sleep(for: .milliseconds(20)) }
        do { try await body(port) } catch {
            server.cancel()
            throw error
        }
        server.cancel()
        _ = try? await server.value
    }

    static func proxy(_ url: String, token: String? = nil, user: String? = nil, password: String? = nil) -> ProxyBackend
    {
        ProxyBackend(
            name: "p",
            configuration: ProxyConfiguration(
                url: url, upstreamBackend: "b", bearerToken: token, username: user, password: password, pollInterval: 0),
            logger: Logger(label: "proxy"))
    }

    @Test("bearer token, basic auth from settings and from the URL; refusal is unavailable")
    func credentials() async throws {
        try await Self.withUpstream { port in
            let base = "http://127.0.0.1:\(port)/api/v1"
            for proxy in [
                Self.proxy(base, token: "t0k"), Self.proxy(base, user: "ops", password: "pw"),
                Self.proxy("http://ops:pw@127.0.0.1:\(port)/api/v1"),
            ] {
                let machines = try await proxy.machines()
                #expect(machines.isEmpty, "\(proxy.endpoint)")
                await proxy.close()
            }
            let anonymous = Self.proxy(base)
            await #expect { try await anonymous.machines() } throws: { error in
                let spec = error as? SpecError
                return spec?.kind == .unavailable && spec?.message.contains("401") == true
            }
            await anonymous.close()
        }
    }

    @Test("native error bodies keep their kind; other failures map by status or to unavailable")
    func errorMapping() async throws {
        try await Self.withUpstream { port in
            let proxy = Self.proxy("http://127.0.0.1:\(port)/api/v1", token: "t0k")
            await #expect { try await proxy.machine(named: "x") } throws: {
                ($0 as? SpecError) == SpecError(.conflict, "x is busy", cause: "upstream HTTP 409")
            }
            await #expect { try await proxy.hostInfo() } throws: { ($0 as? SpecError)?.kind == .unavailable }
            // A name is one path segment: a slash cannot reach another route.
            await #expect { try await proxy.machine(named: "a/b") } throws: {
                ($0 as? SpecError)?.message == "a%2Fb is busy"
            }
            await proxy.close()
            await #expect { try await proxy.machines() } throws: { ($0 as? SpecError)?.kind == .unavailable }
        }
    }
}
