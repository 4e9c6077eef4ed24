/// Random names for machines and tokens.
public enum NameGenerator {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    /// `count` random lowercase letters and digits.
    public static func random(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// A machine name derived from `base` (a template name), e.g. `demo-k3x9qa`.
    public static func machineName(from base: String?) -> String {
        let stem = (base ?? "vm").filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        let prefix = stem.isEmpty ? "vm" : String(stem.prefix(48))
        return "\(prefix)-\(random(6))"
    }
}
