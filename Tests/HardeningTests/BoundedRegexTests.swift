import GatewayCore
import Spec
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The matcher behind IM's `filter`: catastrophic patterns end (match, no match or `invalid`)
/// within 100 ms of CPU time on a 5,000-character text; ordinary patterns behave as in Python's `re`.
@Suite("Bounded regular expressions")
struct BoundedRegexTests {
    static let text = String(repeating: "a", count: 5000) + "!"

    /// CPU time of this thread, so other tests running beside this one do not count.
    static func cpuTime(_ body: () throws -> Void) rethrows -> Duration {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        try body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        return .seconds(end.tv_sec - start.tv_sec) + .nanoseconds(end.tv_nsec - start.tv_nsec)
    }

    @Test(
        "catastrophic patterns finish within 100 ms",
        arguments: ["(a+)+$", "(a*)*b", "(a|aa)+$", "(.*a){20}", "(a|a?)+$"])
    func catastrophic(pattern: String) throws {
        let regex = try BoundedRegex(pattern)
        let took = Self.cpuTime { _ = try? regex.matches(Self.text) }
        #expect(took < .milliseconds(100), "\(pattern) took \(took)")
    }

    @Test("ordinary patterns match as expected")
    func ordinary() throws {
        #expect(try BoundedRegex("front").matches("system front ( cpu.count >= 1 )"))
        #expect(try BoundedRegex("^system").matches("system front"))
        #expect(try !BoundedRegex("^front").matches("system front"))
        #expect(try BoundedRegex("cpu\\.count >= [0-9]+").matches("cpu.count >= 12"))
        #expect(try BoundedRegex("a.b").matches("a\nb"))
        #expect(throws: SpecError.self) { try BoundedRegex("(unclosed") }
        #expect(throws: SpecError.self) { try BoundedRegex(String(repeating: "a", count: 600)) }
    }
}
