import Crypto

/// Password hashes of configured users (`sha256(salt + password)` in hex), shared by the
/// dialects that authenticate users (vmpooler tokens, IM auth headers).
public enum PasswordDigest {
    /// Lower-case hex SHA-256 of the UTF-8 bytes of `text`.
    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// Compares two strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        constantTimeEqual(Array(a.utf8), Array(b.utf8))
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Whether `password` with `salt` matches the hex digest `expected`.
    public static func matches(password: String, salt: String, expected: String) -> Bool {
        constantTimeEqual(sha256Hex(salt + password), expected.lowercased())
    }
}
