/// Validation shared by every dialect, so a name that one API accepts works in all of them
/// and never breaks libvirt XML or a URL path.
public enum NameRules {
    /// Longest accepted name.
    public static let maxLength = 63

    /// Throws `invalid` unless `name` is 1–63 characters of letters, digits, `-`, `_`, `.`,
    /// starting with a letter or digit.
    public static func validate(_ name: String, what: String = "name") throws {
        guard !name.isEmpty else { throw SpecError.invalid("\(what) must not be empty") }
        guard name.count <= maxLength else {
            throw SpecError.invalid("\(what) '\(name.prefix(20))…' is longer than \(maxLength) characters")
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (isAlphanumeric(scalar) || scalar == "-" || scalar == "_" || scalar == ".")
        }
        guard allowed, let first = name.unicodeScalars.first, isAlphanumeric(first) else {
            throw SpecError.invalid(
                "\(what) '\(name)' may only contain letters, digits, '-', '_' and '.', and must start with a letter or digit"
            )
        }
    }

    private static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9")
    }
}
