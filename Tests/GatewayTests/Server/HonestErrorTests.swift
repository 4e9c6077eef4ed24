import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import Spec
import Testing

@testable import Gateway

@Suite("Honest errors: vmgate's own faults are a logged 500, causes stay in the log")
struct HonestErrorTests {
    /// A route of each dialect that reaches the faulty backend, and how its error body reads.
    struct FaultCase: Sendable, CustomTestStringConvertible {
        var dialect: String
        var path: String
        var message: @Sendable ([String: Any]) -> String?
        var testDescription: String { dialect }
    }

    static let cases: [FaultCase] = [
        FaultCase(dialect: "native", path: "/api/v1/machines/faulty:victim") { body in
            let error = body["error"] as? [String: Any]
            guard error?["code"] as? Int == 500, error?["kind"] as? String == "internal" else { return nil }
            return error?["message"] as? String
        },
        FaultCase(dialect: "kimchi", path: "/kimchi/vms/faulty:victim") { body in
            body["code"] as? Int == 500 ? body["reason"] as? String : nil
        },
        FaultCase(dialect: "virtualization-server", path: "/vserver/virtual_machines/faulty:victim") { body in
            body["error"] as? String
        },
        FaultCase(dialect: "comet", path: "/comet/storagepools/pool1") { body in
            body["code"] as? Int == 500 ? body["reason"] as? String : nil
        },
    ]

    @Test("a programming error in a backend call answers 500 in the dialect's format and is logged", arguments: cases)
    func internalFault(_ fault: FaultCase) async throws {
        let logs = InMemoryLogHandler()
        try await FaultInjection.run(backend: FaultyBackend(), dialects: [fault.dialect], logs: logs) { client, _ in
            let (status, body, _) = try await client.send(.get, fault.path)
            #expect(status == .internalServerError, "\(String(buffer: body))")
            #expect(!String(buffer: body).contains(InjectedFault.secret))
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            #expect(fault.message(json) == SpecError.internalMessage, "\(String(buffer: body))")
        }
        let line = logs.entries.first { $0.message == "request failed" }
        #expect(line?.level == .error)
        #expect(line?.metadata["http.path"]?.description == fault.path)
        #expect(line?.metadata["http.status"]?.description == "500")
        #expect(line?.metadata["vmgate.error.cause"]?.description.contains(InjectedFault.secret) == true)
    }

    @Test("a failed task records the message only; the cause goes to the log")
    func taskFailure() async throws {
        let logs = InMemoryLogHandler()
        try await FaultInjection.run(backend: FaultyBackend(), dialects: ["native"], logs: logs) { client, fleet in
            let bug = try await fleet.tasks.start(kind: "test.bug", target: "t") { _ in throw InjectedFault() }
            let outage = try await fleet.tasks.start(kind: "test.outage", target: "t") { _ in
                throw SpecError.unavailable("libvirt failed to wipe volume 'v'", cause: InjectedFault.secret)
            }
            _ = try await fleet.tasks.wait(for: bug.id)
            _ = try await fleet.tasks.wait(for: outage.id)
            let first = try await client.json(.get, "/api/v1/tasks/\(bug.id)")
            #expect(first["status"] as? String == "failed")
            #expect(first["message"] as? String == SpecError.internalMessage)
            let second = try await client.json(.get, "/api/v1/tasks/\(outage.id)")
            #expect(second["message"] as? String == "libvirt failed to wipe volume 'v'")
            let (_, list, _) = try await client.send(.get, "/api/v1/tasks")
            #expect(!String(buffer: list).contains(InjectedFault.secret))
        }
        let failures = logs.entries.filter { $0.message == "task failed" }
        #expect(failures.count == 2)
        #expect(
            failures.allSatisfy {
                $0.metadata["vmgate.error.cause"]?.description.contains(InjectedFault.secret) == true
            })
    }

    @Test("/healthz, /api/v1/backends and their lastError carry no libvirt text; the log does")
    func healthWithoutCauses() async throws {
        var config = TestGateway.configuration()
        var down = config.backends[0]
        down.name = "down"
        down.uri = "qemu+tcp://127.0.0.1:1/system"
        config.backends.append(down)
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "health") { _ in logs }
        let gateway = try await Gateway.build(configuration: config, logger: logger)
        try await gateway.application.test(.router) { client in
            // libvirt's own words for a refused connection, which only the log may show.
            let libvirtText = ["Connection refused", "unable to connect"]
            for path in ["/healthz", "/api/v1/backends", "/api/v1/backends/down", "/api/v1/backends/down/health"] {
                let (status, body, _) = try await client.send(.get, path)
                let text = String(buffer: body)
                #expect(status == .ok)
                #expect(text.contains("lastError"), "\(path): \(text)")
                #expect(!libvirtText.contains { text.contains($0) }, "\(path): \(text)")
            }
        }
        await gateway.close()
        #expect(logs.text.contains { $0.contains("Connection refused") })
    }

    @Test("a definition libvirt rejects is 400 without libvirt's text, not 503")
    func malformedDefinition() async throws {
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "definition") { _ in
            var handler = logs
            handler.logLevel = .trace
            return handler
        }
        var config = TestGateway.configuration()
        config.dialects[0].options = ["backendRoutes": "true"]
        let gateway = try await Gateway.build(configuration: config, logger: logger)
        try await gateway.application.test(.router) { client in
            // Well-formed XML that passes the definition policy, but a disk without a target:
            // libvirt's VIR_ERR_NO_TARGET.
            let xml = """
                <domain type='test'><name>baddisk</name><memory>131072</memory><os><type>hvm</type></os>
                <devices><disk type='file' device='disk'><source file='/vmgate-pool/nowhere.img'/></disk></devices></domain>
                """
            let response = try await client.execute(
                uri: "/api/v1/backends/local/definitions", method: .post,
                headers: [.contentType: "application/xml"], body: ByteBuffer(string: xml)
            ) { ($0.status, String(buffer: $0.body)) }
            #expect(response.0 == .badRequest, "\(response.1)")
            #expect(response.1.contains("\"invalid\""))
            #expect(!response.1.contains("target"), "libvirt's text stays out: \(response.1)")
            _ = try await client.json(.get, "/api/v1/machines/local:baddisk", expect: .notFound)
        }
        await gateway.close()
        let line = logs.entries.first { $0.message == "request failed" }
        #expect(line?.metadata["vmgate.error.cause"]?.description.contains("target") == true)
        #expect(line?.metadata["http.status"]?.description == "400")
    }
}
