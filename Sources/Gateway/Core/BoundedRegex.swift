internal import CPCRE2
public import Spec

/// A regular expression clients may send (IM's `filter`), matched by PCRE2 with a bound on the
/// work one match may do, so a pattern such as `(a+)+$` is refused quickly instead of
/// backtracking for minutes on a shared thread. Syntax is Perl's, close to Python's `re` that
/// IM itself uses.
public final class BoundedRegex: Sendable {
    /// Longest pattern accepted.
    public static let maxPatternLength = 512
    /// Backtracking steps one match may take before it is abandoned.
    public static let matchLimit: UInt32 = 200_000
    /// Nesting depth of backtracking one match may reach.
    public static let depthLimit: UInt32 = 1_000

    // The compiled code is immutable after init and PCRE2 allows concurrent matching with it;
    // each match gets its own match data and context.
    nonisolated(unsafe) private let code: OpaquePointer

    /// Compiles `pattern`; `invalid` when it is too long or malformed.
    public init(_ pattern: String) throws(SpecError) {
        guard pattern.utf8.count <= Self.maxPatternLength else {
            throw SpecError.invalid("the regular expression is longer than \(Self.maxPatternLength) bytes")
        }
        var errorCode: Int32 = 0
        var errorOffset = 0
        let compiled = pattern.withCString { text in
            text.withMemoryRebound(to: UInt8.self, capacity: pattern.utf8.count) {
                pcre2_compile_8($0, pattern.utf8.count, UInt32(PCRE2_UTF | PCRE2_DOTALL), &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw SpecError.invalid("invalid regular expression at offset \(errorOffset): \(Self.message(errorCode))")
        }
        code = compiled
    }

    deinit { pcre2_code_free_8(code) }

    /// Whether the pattern matches anywhere in `text`; `invalid` when the match exceeds its bounds.
    public func matches(_ text: String) throws(SpecError) -> Bool {
        guard let data = pcre2_match_data_create_from_pattern_8(code, nil) else {
            throw SpecError.invalid("the regular expression cannot be matched")
        }
        defer { pcre2_match_data_free_8(data) }
        guard let context = pcre2_match_context_create_8(nil) else {
            throw SpecError.invalid("the regular expression cannot be matched")
        }
        defer { pcre2_match_context_free_8(context) }
        pcre2_set_match_limit_8(context, Self.matchLimit)
        pcre2_set_depth_limit_8(context, Self.depthLimit)
        let result =
            text.utf8.withContiguousStorageIfAvailable { bytes in
                pcre2_match_8(code, bytes.baseAddress, bytes.count, 0, 0, data, context)
            }
            ?? Array(text.utf8).withUnsafeBufferPointer { bytes in
                pcre2_match_8(code, bytes.baseAddress, bytes.count, 0, 0, data, context)
            }
        switch result {
        case 0...: return true
        case PCRE2_ERROR_NOMATCH: return false
        case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT:
            throw SpecError.invalid("the regular expression is too expensive to match (it backtracks too much)")
        default:
            throw SpecError.invalid("the regular expression could not be matched: \(Self.message(result))")
        }
    }

    private static func message(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return length > 0 ? String(decoding: buffer.prefix(Int(length)), as: UTF8.self) : "error \(code)"
    }
}
