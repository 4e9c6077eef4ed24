import Foundation
import Testing

@testable import IMDialect

/// Property test: random text and random mutations of valid RADL never crash or hang the
/// parsers; they either parse or throw a ``RADLError`` with a position inside the input.
@Suite("IM: RADL fuzz")
struct RADLFuzzTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    static let alphabet = Array(
        "abcsystemnetworkdeployconfigure ()[],'=<>@begin@end\n\t#0123456789.-_and contains soft\\")

    static func check(_ text: String) {
        do {
            _ = try RADLParser.parse(text)
        } catch {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(error.line >= 1 && error.line <= lines + 1, "line \(error.line) outside input: \(error)")
            #expect(error.column >= 1)
        }
        _ = try? RADLJSON.parse(Data(text.utf8))
    }

    @Test("random and mutated inputs, bounded in count and time")
    func fuzz() {
        var random = Generator(state: 0x9E37_79B9_7F4A_7C15)
        let seed = Array(RADLParserTests.full)
        let started = ContinuousClock.now
        var cases = 0
        while cases < 3000, ContinuousClock.now - started < .seconds(20) {
            cases += 1
            if cases % 2 == 0 {
                let length = Int.random(in: 0..<200, using: &random)
                Self.check(String((0..<length).map { _ in Self.alphabet.randomElement(using: &random)! }))
            } else {
                var mutated = seed
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    let index = Int.random(in: 0..<mutated.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: mutated.remove(at: index)
                    case 1: mutated.insert(Self.alphabet.randomElement(using: &random)!, at: index)
                    default: mutated[index] = Self.alphabet.randomElement(using: &random)!
                    }
                }
                Self.check(String(mutated))
            }
        }
        // Deep nesting is refused, not a stack overflow.
        Self.check("system a (" + String(repeating: "x contains (", count: 5000) + ")")
        Self.check(
            "[" + String(repeating: "{\"class\":\"system\",\"id\":\"a\",\"x\":", count: 10) + "1"
                + String(repeating: "}", count: 10) + "]")
        #expect(cases >= 100)
    }
}
