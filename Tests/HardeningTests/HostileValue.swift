/// The numbers a hostile or careless client sends, rendered as they appear in a request.
enum HostileValue: String, CaseIterable, Sendable, CustomStringConvertible {
    case intMax, minusOne, zero, huge, minusHuge, digits400, nan, infinity, minusInfinity

    /// Values written as JSON numbers (or bare in RADL, paths and query strings).
    static let numbers: [HostileValue] = [.intMax, .minusOne, .zero, .huge, .minusHuge, .digits400]
    /// Values that only exist as strings (`"NaN"`), for fields that take strings.
    static let strings: [HostileValue] = [.nan, .infinity, .minusInfinity]

    /// The literal text substituted for `{v}`.
    var text: String {
        switch self {
        case .intMax: "9223372036854775807"
        case .minusOne: "-1"
        case .zero: "0"
        case .huge: "1e300"
        case .minusHuge: "-1e300"
        case .digits400: "9" + String(repeating: "0", count: 399)
        case .nan: "NaN"
        case .infinity: "Infinity"
        case .minusInfinity: "-Infinity"
        }
    }

    var description: String { rawValue }
}
