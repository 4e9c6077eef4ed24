import Foundation
import GatewayTestSupport
import HTTPTypes
import InMemoryLogging
import Spec
import Testing

@testable import VMPoolerDialect

@Suite("vmpooler: error answers")
struct VMPoolerErrorTests {
    @Test("a programming error is a logged 500 {ok: false}; causes never reach the body")
    func internalFault() async throws {
        let logs = InMemoryLogHandler()
        try await FaultInjection.runErrorMiddleware({ VMPoolerError($0) }, logs: logs) { client in
            let fault = try await client.json(.get, "/fault", expect: .internalServerError)
            #expect(fault["ok"] as? Bool == false)
            #expect(fault["message"] as? String == SpecError.internalMessage)
            let refused = try await client.json(.get, "/refused", expect: .badRequest)
            #expect(refused["message"] as? String == "invalid definition")
        }
        let lines = logs.entries.filter { $0.message == "request failed" }
        #expect(lines.map(\.level) == [.error, .notice])
        #expect(
            lines.allSatisfy { $0.metadata["vmgate.error.cause"]?.description.contains(InjectedFault.secret) == true })
    }
}
