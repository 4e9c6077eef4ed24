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

    /// Throws `invalid` if `text` (a tag, a description) holds a character XML 1.0 cannot carry
    /// (control characters other than tab, line feed and carriage return; U+FFFE, U+FFFF):
    /// such text ends up in the machine's libvirt metadata.
    public static func validateText(_ text: String, what: String) throws {
        let forbidden = text.unicodeScalars.contains { scalar in
            (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r")
                || scalar.value == 0xFFFE || scalar.value == 0xFFFF
        }
        guard !forbidden else { throw SpecError.invalid("\(what) must not contain control characters") }
    }

    private static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9")
    }
}
