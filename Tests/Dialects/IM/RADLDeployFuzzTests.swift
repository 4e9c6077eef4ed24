import Foundation
import Gateway
import GatewayTestSupport
import HTTPTypes
import Testing

/// The RADL fuzz carried past the parser: random documents with extreme numbers, units,
/// operators and references are deployed and used to alter a VM. Every answer is a success or
/// a 4xx in IM's format, a refused deployment leaves no machine behind, and the gateway still
/// answers afterwards.
@Suite("IM: RADL fuzz through deployment and alteration")
struct RADLDeployFuzzTests {
    static let numbers = [
        "0", "1", "2", "64", "65", "-1", "0.5", "9223372036854775807", "99999999999999999999", "1e300", "1.5e3",
        String(repeating: "9", count: 400),
    ]
    static let units = ["", "m", "M", "g", "GiB", "k", "t", "b", "ki", "e300", "x"]
    static let features = ["cpu.count", "memory.size", "disk.0.size", "disk.1.size", "cpu.arch", "gpu.count"]
    static let operators = ["=", ">=", "<=", ">", "<"]

    static func feature(_ random: inout RADLFuzzTests.Generator) -> String {
        let name = features.randomElement(using: &random)!
        let op = operators.randomElement(using: &random)!
        let value: String =
            switch Int.random(in: 0..<4, using: &random) {
            case 0: "'\(numbers.randomElement(using: &random)!)'"
            case 1: "'NaN'"
            default: numbers.randomElement(using: &random)! + units.randomElement(using: &random)!
            }
        return "\(name) \(op) \(value)"
    }

    static func document(_ random: inout RADLFuzzTests.Generator, system: String) -> String {
        let count = Int.random(in: 0...3, using: &random)
        let body = (0..<count).map { _ in feature(&random) }
        let image = Bool.random(using: &random) ? ["disk.0.image.url = 'vmgate://gateway/demo'"] : []
        let deploy = ["0", "1", "2", "-1", "101", "1e300", "9223372036854775807"].randomElement(using: &random)!
        return "system \(system) ( \((body + image).joined(separator: " and ")) )\ndeploy \(system) \(deploy)"
    }

    @Test("random deployments and alterations: success or IM 4xx, nothing half-created")
    func deployAndAlter() async throws {
        try await TestGateway.run(IMTest.configuration()) { client, _ in
            var random = RADLFuzzTests.Generator(state: 0x2545_F491_4F6C_DD1D)
            let base = try await client.createInfrastructure(
                "system front ( memory.size >= 128m and disk.0.image.url = 'vmgate://gateway/demo' )\ndeploy front 1")
            let started = ContinuousClock.now
            var cases = 0
            while cases < 150, ContinuousClock.now - started < .seconds(20) {
                cases += 1
                let total = try await client.json(.get, "/api/v1/machines")["total"] as? Int ?? -1
                let create = try await client.im(
                    .post, "/infrastructures", body: Self.document(&random, system: "s\(cases)"),
                    accept: "application/json")
                Self.expectAnswer(create, "create")
                if create.status != .ok {
                    let after = try await client.json(.get, "/api/v1/machines")["total"] as? Int ?? -1
                    #expect(after == total, "a refused deployment left machines: \(create.text)")
                } else if let id = create.object["uri"].flatMap({ $0 as? String })?.split(separator: "/").last {
                    _ = try await client.im(.delete, "/infrastructures/\(id)")
                }
                let alter = try await client.im(
                    .put, "/infrastructures/\(base)/vms/0", body: "system front ( \(Self.feature(&random)) )",
                    accept: "application/json")
                Self.expectAnswer(alter, "alter")
            }
            #expect(cases >= 20)
            #expect(try await client.send(.get, "/healthz").status == .ok)
        }
    }

    static func expectAnswer(_ reply: IMReply, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let code = Int(reply.status.code)
        #expect(code < 500, "\(what): \(code) \(reply.text.prefix(300))", sourceLocation: sourceLocation)
        if code >= 400 {
            #expect(
                reply.object["code"] as? Int == code, "\(what): \(reply.text.prefix(300))",
                sourceLocation: sourceLocation)
        }
    }
}
