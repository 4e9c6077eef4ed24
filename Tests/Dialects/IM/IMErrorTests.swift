import Foundation
import GatewayTestSupport
import HTTPTypes
import InMemoryLogging
import NIOCore
import Spec
import Testing

@testable import IMDialect

@Suite("IM: error answers")
struct IMErrorTests {
    @Test("a programming error is a logged 500 in text and JSON; causes never reach the body")
    func internalFault() async throws {
        let logs = InMemoryLogHandler()
        try await FaultInjection.runErrorMiddleware({ IMFailure($0) }, logs: logs) { client in
            let text = try await client.execute(uri: "/fault", method: .get) { ($0.status, String(buffer: $0.body)) }
            #expect(text.0 == .internalServerError)
            #expect(text.1 == SpecError.internalMessage)
            let json = try await client.execute(uri: "/fault", method: .get, headers: [.accept: "application/json"]) {
                ($0.status, (try? JSONSerialization.jsonObject(with: Data(buffer: $0.body))) as? [String: Any])
            }
            #expect(json.0 == .internalServerError)
            #expect(json.1?["code"] as? Int == 500)
            #expect(json.1?["message"] as? String == SpecError.internalMessage)
            let refused = try await client.execute(uri: "/refused", method: .get) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(refused.0 == .badRequest)
            #expect(refused.1 == "invalid definition")
        }
        let lines = logs.entries.filter { $0.message == "request failed" }
        #expect(lines.count == 3)
        #expect(
            lines.allSatisfy { $0.metadata["vmgate.error.cause"]?.description.contains(InjectedFault.secret) == true })
    }
}
