/// A RADL syntax error, with the 1-based line and column where it was found.
struct RADLError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    var line: Int
    var column: Int

    var description: String { "RADL parse error at line \(line), column \(column): \(message)" }
}

/// A token of plain RADL.
struct RADLToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case word(String)
        case string(String)
        case number(Double)
        case random(Int)
        case comparator(String)
        case lparen, rparen, lbrack, rbrack, comma
        case recipe(String)
        case end
    }
    var kind: Kind
    var line: Int
    var column: Int

    var display: String {
        switch kind {
        case .word(let word): "'\(word)'"
        case .string(let text): "string '\(text.prefix(30))'"
        case .number(let value): "number \(RADLValue.format(value))"
        case .random: "'random(n)'"
        case .comparator(let op): "'\(op)'"
        case .lparen: "'('"
        case .rparen: "')'"
        case .lbrack: "'['"
        case .rbrack: "']'"
        case .comma: "','"
        case .recipe: "a recipe block"
        case .end: "end of document"
        }
    }
}

/// Splits plain RADL into tokens: words (`[a-zA-Z_.][\w.-]*`), single-quoted strings with
/// `\'` escapes, numbers, comparators, brackets, `#` comments, and `@begin … @end` recipe blocks
/// whose lines are kept verbatim (an `@end` at the start of a line closes the block).
struct RADLLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    static func tokenize(_ text: String) throws(RADLError) -> [RADLToken] {
        var lexer = RADLLexer(text)
        var tokens: [RADLToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private func starts(with text: String) -> Bool {
        var offset = 0
        for scalar in text.unicodeScalars {
            guard peek(offset) == scalar else { return false }
            offset += 1
        }
        return true
    }

    private static func isWordStart(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || s == "_" || s == "."
    }

    private static func isWordPart(_ s: Unicode.Scalar) -> Bool {
        isWordStart(s) || isDigit(s) || s == "-"
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s >= "0" && s <= "9" }

    mutating func next() throws(RADLError) -> RADLToken {
        while let scalar = peek() {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                advance()
            } else if scalar == "#" {
                while let s = peek(), s != "\n" { advance() }
            } else {
                break
            }
        }
        let startLine = line
        let startColumn = column
        func token(_ kind: RADLToken.Kind) -> RADLToken { RADLToken(kind: kind, line: startLine, column: startColumn) }
        guard let scalar = peek() else { return token(.end) }
        switch scalar {
        case "(": advance(); return token(.lparen)
        case ")": advance(); return token(.rparen)
        case "[": advance(); return token(.lbrack)
        case "]": advance(); return token(.rbrack)
        case ",": advance(); return token(.comma)
        case "=": advance(); return token(.comparator("="))
        case "<", ">":
            advance()
            if peek() == "=" {
                advance()
                return token(.comparator(String(scalar) + "="))
            }
            return token(.comparator(String(scalar)))
        case "'": return token(try string())
        case "@":
            guard starts(with: "@begin") else {
                throw RADLError(message: "unexpected '@' (recipes start with '@begin')", line: line, column: column)
            }
            for _ in 0..<6 { advance() }
            return token(try recipe(startLine: startLine, startColumn: startColumn))
        default:
            if Self.isDigit(scalar) { return token(try number()) }
            if Self.isWordStart(scalar) {
                var word = ""
                while let s = peek(), Self.isWordPart(s) {
                    word.unicodeScalars.append(s)
                    advance()
                }
                return token(.word(word))
            }
            throw RADLError(
                message: "unexpected character '\(scalar.escaped(asASCII: true))'", line: line, column: column)
        }
    }

    /// Digits with an optional fraction. Letters glued to it must be a size unit (`512m`), so
    /// `1e300` is refused rather than read as 1 with a unit `e300`; numbers past 30 digits or
    /// outside a double's finite range are refused too.
    private mutating func number() throws(RADLError) -> RADLToken.Kind {
        let startLine = line
        let startColumn = column
        var text = ""
        while let s = peek(), Self.isDigit(s) {
            text.unicodeScalars.append(s)
            advance()
        }
        if peek() == "." {
            text.append(".")
            advance()
            while let s = peek(), Self.isDigit(s) {
                text.unicodeScalars.append(s)
                advance()
            }
        }
        var suffix = ""
        var offset = 0
        while let s = peek(offset), Self.isWordPart(s) {
            suffix.unicodeScalars.append(s)
            offset += 1
        }
        guard suffix.isEmpty || RADLParser.isUnit(suffix) else {
            throw RADLError(message: "malformed number '\(text)\(suffix)'", line: startLine, column: startColumn)
        }
        guard text.count <= 30, let value = Double(text), value.isFinite else {
            throw RADLError(
                message: "number '\(text.prefix(20))…' is too large", line: startLine, column: startColumn)
        }
        return .number(value)
    }

    private mutating func string() throws(RADLError) -> RADLToken.Kind {
        let startLine = line
        let startColumn = column
        advance()
        var text = ""
        while let s = peek() {
            if s == "\\", let following = peek(1) {
                advance()
                advance()
                if following != "'" { text.unicodeScalars.append("\\") }
                text.unicodeScalars.append(following)
                continue
            }
            advance()
            if s == "'" {
                if let count = Self.randomLength(text) { return .random(count) }
                return .string(text)
            }
            text.unicodeScalars.append(s)
        }
        throw RADLError(message: "unterminated string", line: startLine, column: startColumn)
    }

    /// `random(8)` inside quotes asks for a random string of that length.
    private static func randomLength(_ text: String) -> Int? {
        guard text.hasPrefix("random("), text.hasSuffix(")") else { return nil }
        let digits = text.dropFirst(7).dropLast()
        guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy(\.isASCII), let n = Int(digits) else { return nil }
        return n
    }

    /// Lines after `@begin` up to a line whose first non-blank text is `@end`; the rest of the
    /// `@begin` line counts only when it is not blank.
    private mutating func recipe(startLine: Int, startColumn: Int) throws(RADLError) -> RADLToken.Kind {
        var lines: [String] = []
        var current = ""
        var firstLine = true
        while let s = peek() {
            if !firstLine, current.trimmingSpaces.isEmpty, starts(with: "@end") {
                for _ in 0..<4 { advance() }
                return .recipe(lines.joined(separator: "\n"))
            }
            advance()
            if s == "\n" {
                if !(firstLine && current.trimmingSpaces.isEmpty) { lines.append(current) }
                firstLine = false
                current = ""
            } else {
                current.unicodeScalars.append(s)
            }
        }
        throw RADLError(message: "'@begin' without a matching '@end'", line: startLine, column: startColumn)
    }
}

extension String {
    var trimmingSpaces: String {
        var copy = Substring(self)
        while let f = copy.first, f == " " || f == "\t" || f == "\r" { copy.removeFirst() }
        while let l = copy.last, l == " " || l == "\t" || l == "\r" { copy.removeLast() }
        return String(copy)
    }
}
