import Foundation

/// A parsed RADL document (Resource and Application Description Language), in plain text
/// or JSON form: networks, systems, configure recipes, contextualization and deployments.
struct RADLDocument: Codable, Sendable, Hashable {
    var descriptions: [RADLAspect] = []
    var networks: [RADLAspect] = []
    var systems: [RADLAspect] = []
    var ansibles: [RADLAspect] = []
    var configures: [RADLConfigure] = []
    var contextualize: RADLContextualize?
    var deploys: [RADLDeploy] = []

    /// The system named `name` (a definition, not a reference).
    func system(_ name: String) -> RADLAspect? { systems.first { $0.id == name && !$0.reference } }
    /// The network named `name`.
    func network(_ name: String) -> RADLAspect? { networks.first { $0.id == name } }
    /// The configure named `name`.
    func configure(_ name: String) -> RADLConfigure? { configures.first { $0.name == name && !$0.reference } }

    /// Whether the document says nothing.
    var isEmpty: Bool {
        descriptions.isEmpty && networks.isEmpty && systems.isEmpty && ansibles.isEmpty && configures.isEmpty
            && contextualize == nil && deploys.isEmpty
    }
}

/// A value of a RADL feature.
indirect enum RADLValue: Codable, Sendable, Hashable {
    /// A quoted string.
    case string(String)
    /// A number with an optional unit (`512m`, `10g`, `1.5GiB`).
    case number(Double, unit: String?)
    /// A bracketed string list (`['a','b']`).
    case list([String])
    /// The nested features of a `contains` feature.
    case features([RADLFeature])

    /// The value as text (strings and numbers).
    var text: String? {
        switch self {
        case .string(let value): value
        case .number(let value, let unit): RADLValue.format(value) + (unit ?? "")
        case .list, .features: nil
        }
    }

    /// The numeric value multiplied by the unit's factor (IM units: k, m, g, t decimal; ki, mi, gi, ti binary).
    var scalar: Double? {
        guard case .number(let value, let unit) = self else {
            if case .string(let text) = self { return Double(text) }
            return nil
        }
        return value * RADLValue.factor(unit)
    }

    /// Factor of a unit as IM's `UnitToValue` defines it.
    static func factor(_ unit: String?) -> Double {
        guard var unit = unit?.uppercased(), !unit.isEmpty else { return 1 }
        if unit.hasSuffix("B") { unit.removeLast() }
        switch unit {
        case "K": return 1e3
        case "KI": return 1024
        case "M": return 1e6
        case "MI": return 1_048_576
        case "G": return 1e9
        case "GI": return 1_073_741_824
        case "T": return 1e12
        case "TI": return 1_099_511_627_776
        default: return 1
        }
    }

    /// `5` for 5.0, `1.5` otherwise.
    static func format(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// One `name op value` feature, or a `soft` block of features with a weight.
struct RADLFeature: Codable, Sendable, Hashable {
    /// Feature name (`memory.size`, `disk.0.image.url`); `soft` for a soft block.
    var name: String
    /// `=`, `<`, `>`, `<=`, `>=`, `contains`, or `soft`.
    var op: String
    /// The value.
    var value: RADLValue
    /// Line it was read from (0 when built in code).
    var line: Int = 0

    init(_ name: String, _ op: String, _ value: RADLValue, line: Int = 0) {
        self.name = name
        self.op = op
        self.value = value
        self.line = line
    }

    static func == (a: RADLFeature, b: RADLFeature) -> Bool { a.name == b.name && a.op == b.op && a.value == b.value }
    func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(op)
        hasher.combine(value)
    }
}

/// A `network`, `system`, `description` or `ansible` sentence.
struct RADLAspect: Codable, Sendable, Hashable {
    /// `network`, `system`, `description` or `ansible`.
    var kind: String
    /// Its id.
    var id: String
    /// A bare reference (`system front`) rather than a definition.
    var reference: Bool = false
    /// Features, in order.
    var features: [RADLFeature] = []
    /// Line of the keyword.
    var line: Int = 0

    static func == (a: RADLAspect, b: RADLAspect) -> Bool {
        a.kind == b.kind && a.id == b.id && a.reference == b.reference && a.features == b.features
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(id)
        hasher.combine(features)
    }

    /// The value of the first `=` feature named `name`.
    func value(_ name: String) -> RADLValue? {
        features.last { $0.name == name && $0.op == "=" }?.value
    }

    /// The text of the first `=` feature named `name`.
    func string(_ name: String) -> String? { value(name)?.text }

    /// The largest lower bound (`=` or `>=`) of a numeric feature, in base units.
    func lowerBound(_ name: String) -> Double? {
        features.filter { $0.name == name && ($0.op == "=" || $0.op == ">=" || $0.op == ">") }
            .compactMap(\.value.scalar).max()
    }

    /// Sets `name = value`, replacing earlier `=`/`>=`/`<=` features of that name.
    mutating func set(_ name: String, _ value: RADLValue) {
        features.removeAll { $0.name == name && ["=", ">=", "<=", "<", ">"].contains($0.op) }
        features.append(RADLFeature(name, "=", value))
    }
}

/// A `configure` sentence: a named recipe (Ansible YAML or cloud-init).
struct RADLConfigure: Codable, Sendable, Hashable {
    var name: String
    /// The text between `@begin` and `@end`; nil for `configure x ()` or a reference.
    var recipes: String?
    var reference: Bool = false
    var line: Int = 0
}

/// A `deploy system N [cloud]` sentence.
struct RADLDeploy: Codable, Sendable, Hashable {
    var system: String
    var count: Int
    var cloud: String?
    var line: Int = 0
}

/// The `contextualize` sentence.
struct RADLContextualize: Codable, Sendable, Hashable {
    struct Item: Codable, Sendable, Hashable {
        var system: String
        var configure: String
        var step: Int?
        var tool: String?
        var line: Int = 0
    }
    var maxTime: Int?
    var options: [RADLFeature] = []
    var items: [Item] = []
    var line: Int = 0
}
