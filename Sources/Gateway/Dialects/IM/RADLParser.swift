/// A recursive-descent parser for plain RADL, following the grammar of IM's `radl_parse`:
/// `description`, `network`, `system`, `ansible`, `configure`, `contextualize` and `deploy`
/// sentences; features joined by `and`, with `=`, `<`, `>`, `<=`, `>=`, `contains (…)`,
/// `soft N (…)`, units after numbers and string lists.
struct RADLParser {
    private let tokens: [RADLToken]
    private var position = 0
    /// Nesting limit for `contains`/`soft` blocks, so hostile input cannot exhaust the stack.
    static let maxDepth = 32

    private init(_ tokens: [RADLToken]) { self.tokens = tokens }

    /// Parses a whole document.
    static func parse(_ text: String) throws(RADLError) -> RADLDocument {
        var parser = RADLParser(try RADLLexer.tokenize(text))
        return try parser.document()
    }

    private var current: RADLToken { tokens[position] }

    private mutating func take() -> RADLToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func fail(_ expected: String, _ token: RADLToken? = nil) -> RADLError {
        let token = token ?? current
        return RADLError(
            message: "expected \(expected), found \(token.display)", line: token.line, column: token.column)
    }

    private mutating func expect(_ kind: RADLToken.Kind, _ what: String) throws(RADLError) {
        guard current.kind == kind else { throw fail(what) }
        _ = take()
    }

    private mutating func identifier(_ what: String) throws(RADLError) -> String {
        guard case .word(let word) = current.kind, !Self.keywords.contains(word) else { throw fail(what) }
        _ = take()
        return word
    }

    private mutating func integer(_ what: String) throws(RADLError) -> Int {
        guard case .number(let value) = current.kind, value.rounded() == value, value < 1e9 else { throw fail(what) }
        _ = take()
        return Int(value)
    }

    private func isWord(_ word: String) -> Bool { current.kind == .word(word) }

    static let keywords: Set<String> = [
        "network", "ansible", "system", "soft", "and", "contains", "deploy", "configure", "contextualize", "step",
        "with", "option", "description",
    ]

    private mutating func document() throws(RADLError) -> RADLDocument {
        var document = RADLDocument()
        while current.kind != .end {
            let start = current
            guard case .word(let keyword) = start.kind else { throw fail("a sentence keyword") }
            _ = take()
            switch keyword {
            case "network", "system", "description", "ansible":
                let id = try identifier("a \(keyword) name")
                var aspect = RADLAspect(kind: keyword, id: id, reference: true, line: start.line)
                if current.kind == .lparen {
                    _ = take()
                    aspect.features = try features(depth: 0)
                    try expect(.rparen, "')' closing \(keyword) '\(id)'")
                    aspect.reference = false
                } else if keyword == "ansible" {
                    throw fail("'(' after ansible '\(id)'")
                }
                switch keyword {
                case "network": document.networks.append(aspect)
                case "system": document.systems.append(aspect)
                case "description": document.descriptions.append(aspect)
                default: document.ansibles.append(aspect)
                }
            case "configure":
                document.configures.append(try configure(line: start.line))
            case "deploy":
                let system = try identifier("a system name after 'deploy'")
                let count = try integer("the number of machines to deploy")
                var deploy = RADLDeploy(system: system, count: count, line: start.line)
                if case .word(let cloud) = current.kind, !Self.keywords.contains(cloud) {
                    _ = take()
                    deploy.cloud = cloud
                }
                document.deploys.append(deploy)
            case "contextualize":
                document.contextualize = try contextualize(line: start.line)
            default:
                throw fail("network, system, configure, contextualize, deploy or description", start)
            }
        }
        return document
    }

    private mutating func configure(line: Int) throws(RADLError) -> RADLConfigure {
        let name = try identifier("a configure name")
        guard current.kind == .lparen else { return RADLConfigure(name: name, reference: true, line: line) }
        _ = take()
        var recipes: String?
        if case .recipe(let text) = current.kind {
            _ = take()
            recipes = text
        }
        try expect(.rparen, "')' closing configure '\(name)'")
        return RADLConfigure(name: name, recipes: recipes, line: line)
    }

    private mutating func contextualize(line: Int) throws(RADLError) -> RADLContextualize {
        var result = RADLContextualize(line: line)
        if case .number = current.kind { result.maxTime = try integer("the contextualization time limit") }
        try expect(.lparen, "'(' after contextualize")
        while isWord("option") {
            let optionLine = take().line
            let name = try identifier("an option name")
            guard case .comparator(let op) = current.kind else { throw fail("a comparator") }
            _ = take()
            switch current.kind {
            case .string(let text): result.options.append(RADLFeature(name, op, .string(text), line: optionLine))
            case .number(let value):
                result.options.append(RADLFeature(name, op, .number(value, unit: nil), line: optionLine))
            default: throw fail("a string or a number")
            }
            _ = take()
        }
        while isWord("system") {
            let itemLine = take().line
            let system = try identifier("a system name")
            guard isWord("configure") else { throw fail("'configure'") }
            _ = take()
            var item = RADLContextualize.Item(
                system: system, configure: try identifier("a configure name"), line: itemLine)
            if isWord("step") {
                _ = take()
                item.step = try integer("a step number")
            } else if isWord("with") {
                _ = take()
                item.tool = try identifier("a contextualization tool")
            }
            result.items.append(item)
        }
        try expect(.rparen, "'system … configure …' or ')' closing contextualize")
        return result
    }

    private mutating func features(depth: Int) throws(RADLError) -> [RADLFeature] {
        guard depth < Self.maxDepth else {
            throw RADLError(message: "features nested too deeply", line: current.line, column: current.column)
        }
        var result: [RADLFeature] = []
        if current.kind == .rparen { return result }
        while true {
            result.append(try feature(depth: depth))
            guard isWord("and") else { return result }
            _ = take()
        }
    }

    private mutating func feature(depth: Int) throws(RADLError) -> RADLFeature {
        let start = current
        if isWord("soft") {
            _ = take()
            let weight = try integer("a soft weight")
            try expect(.lparen, "'(' after soft \(weight)")
            let inner = try features(depth: depth + 1)
            try expect(.rparen, "')' closing soft block")
            return RADLFeature(
                "soft", "soft", .features([RADLFeature("weight", "=", .number(Double(weight), unit: nil))] + inner),
                line: start.line)
        }
        let name = try identifier("a feature name")
        if isWord("contains") {
            _ = take()
            try expect(.lparen, "'(' after contains")
            let inner = try features(depth: depth + 1)
            try expect(.rparen, "')' closing contains")
            return RADLFeature(name, "contains", .features(inner), line: start.line)
        }
        guard case .comparator(let op) = current.kind else { throw fail("a comparator or 'contains' after '\(name)'") }
        _ = take()
        let valueToken = take()
        switch valueToken.kind {
        case .string(let text):
            return RADLFeature(name, op, .string(text), line: start.line)
        case .random(let count):
            return RADLFeature(name, op, .string(Self.randomString(count)), line: start.line)
        case .number(let value):
            var unit: String?
            if case .word(let word) = current.kind, !Self.keywords.contains(word) {
                guard Self.isUnit(word) else {
                    throw fail("a size unit (k, m, g or t, with an optional i and b) after the number")
                }
                _ = take()
                unit = word
            }
            return RADLFeature(name, op, .number(value, unit: unit), line: start.line)
        case .lbrack:
            var items: [String] = []
            while case .string(let text) = current.kind {
                _ = take()
                items.append(text)
                guard current.kind == .comma else { break }
                _ = take()
            }
            try expect(.rbrack, "a string or ']' closing the list")
            return RADLFeature(name, op, .list(items), line: start.line)
        default:
            throw fail("a string, number or list as the value of '\(name)'", valueToken)
        }
    }

    /// `b`, or `k`, `m`, `g`, `t` followed by an optional `i` and `b` (any case), as IM reads them.
    static func isUnit(_ word: String) -> Bool {
        var rest = Substring(word.lowercased())
        if rest == "b" { return true }
        guard let first = rest.first, "kmgt".contains(first) else { return false }
        rest.removeFirst()
        if rest.first == "i" { rest.removeFirst() }
        if rest.first == "b" { rest.removeFirst() }
        return rest.isEmpty
    }

    private static func randomString(_ count: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<min(count, 256)).map { _ in alphabet.randomElement()! })
    }
}
