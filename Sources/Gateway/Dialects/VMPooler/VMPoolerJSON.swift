/// A JSON value with keys chosen at run time (vmpooler answers are keyed by pool and hostname).
enum VMPoolerJSON: Encodable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral
{
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([VMPoolerJSON])
    case object([String: VMPoolerJSON])
    case null

    typealias Key = String
    typealias Value = VMPoolerJSON

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(dictionaryLiteral elements: (String, VMPoolerJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    init(arrayLiteral elements: VMPoolerJSON...) { self = .array(elements) }

    /// A number rounded to `places` decimals, as vmpooler prints durations.
    static func rounded(_ value: Double, _ places: Int = 2) -> VMPoolerJSON {
        let scale = pow10(places)
        return .double((value * scale).rounded() / scale)
    }

    private static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { value, _ in value * 10 } }

    private struct CodingName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .double(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .object(let values):
            var container = encoder.container(keyedBy: CodingName.self)
            for key in values.keys.sorted() { try container.encode(values[key]!, forKey: CodingName(key)) }
        }
    }

    /// Sets `key` in an object.
    subscript(key: String) -> VMPoolerJSON? {
        get { if case .object(let values) = self { values[key] } else { nil } }
        set {
            guard case .object(var values) = self else { return }
            values[key] = newValue
            self = .object(values)
        }
    }
}
