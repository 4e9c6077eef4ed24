/// Limits on free text clients store with machines (tags, descriptions, template labels), so
/// every value can be written into libvirt XML and read back by every dialect unchanged.
public enum TextRules {
    /// Most tags one machine may carry.
    public static let maxTags = 64
    /// Longest tag name.
    public static let maxTagKey = 128
    /// Longest tag value.
    public static let maxTagValue = 1024
    /// Longest free-text field (descriptions, labels).
    public static let maxText = 4096

    /// Throws `invalid` unless `text` is at most `maxLength` characters without control
    /// characters (C0, DEL, C1) or XML non-characters; `multiline` allows tab, LF and CR.
    public static func validate(
        _ text: String, field: String, maxLength: Int = maxText, multiline: Bool = false
    ) throws(SpecError) {
        guard text.utf8.count <= maxLength * 4, text.count <= maxLength else {
            throw SpecError.invalid("\(field) is longer than \(maxLength) characters")
        }
        for scalar in text.unicodeScalars where !allowed(scalar, multiline: multiline) {
            throw SpecError.invalid(
                "\(field) must not contain control characters (found U+\(String(scalar.value, radix: 16, uppercase: true)))"
            )
        }
    }

    /// Throws `invalid` unless `tags` stays within ``maxTags`` and each name and value passes
    /// ``validate(_:field:maxLength:multiline:)``; names must not be empty.
    public static func validate(tags: [String: String], field: String = "tags") throws(SpecError) {
        guard tags.count <= maxTags else { throw SpecError.invalid("\(field): at most \(maxTags) tags") }
        for (key, value) in tags {
            guard !key.isEmpty else { throw SpecError.invalid("\(field): a tag name must not be empty") }
            try validate(key, field: "\(field) name '\(key.prefix(32))'", maxLength: maxTagKey)
            try validate(value, field: "\(field) '\(key.prefix(32))'", maxLength: maxTagValue)
        }
    }

    private static func allowed(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: multiline
        case 0x00...0x1F, 0x7F...0x9F: false
        case 0xFFFE, 0xFFFF: false
        default: true
        }
    }
}
