import Foundation
import GatewayCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Helper programs run through swift-subprocess: status and output collected, a run past its
/// time limit killed, a background program awaited without polling.
@Suite("Child processes")
struct ChildProcessTests {
    @Test("exit status, standard output and standard error")
    func outcome() async throws {
        let outcome = try await ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(outcome.status == 3)
        #expect(outcome.output == "out\n")
        #expect(outcome.errorOutput == "err\n")
        let directory = try await ChildProcess.run("/bin/pwd", [], directory: URL(fileURLWithPath: "/tmp"))
        #expect(directory.output == "/tmp\n")
        await #expect(throws: (any Error).self) { try await ChildProcess.run("/nonexistent/tool", []) }
    }

    @Test("a run past its time limit is killed and reported")
    func timeout() async throws {
        let started = ContinuousClock.now
        await #expect(throws: (any Error).self) {
            try await ChildProcess.run("/bin/sleep", ["30"], timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test("a background program is awaited until it is killed")
    func background() async throws {
        let running = try await ChildProcess.start("/bin/sleep", ["30"])
        #expect(running.processIdentifier > 0)
        let started = ContinuousClock.now
        kill(running.processIdentifier, SIGKILL)
        #expect(await running.waitForExit() == 128 + SIGKILL)
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
