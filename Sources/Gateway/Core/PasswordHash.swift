import Crypto
import CryptoExtras
import Foundation
import Spec

/// Password hashes of the user directory: PBKDF2-HMAC-SHA256 with a random salt and a work
/// factor, written `pbkdf2-sha256$<rounds>$<salt, base64>$<key, base64>`.
public enum PasswordHash {
    /// Rounds of new hashes (OWASP's figure for PBKDF2-HMAC-SHA256, and swift-crypto's minimum).
    public static let defaultRounds = 210_000
    /// The most rounds a configured hash may ask for (a hash is checked on the request path).
    public static let maxRounds = 10_000_000
    static let scheme = "pbkdf2-sha256"

    /// A new hash of `password` with a fresh 16-byte salt.
    public static func make(_ password: String, rounds: Int = defaultRounds) throws -> String {
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max) }
        let key = try derive(password, salt: salt, rounds: rounds)
        return [scheme, String(rounds), Data(salt).base64EncodedString(), Data(key).base64EncodedString()]
            .joined(separator: "$")
    }

    /// Whether `hash` is a well-formed hash this type can check; `invalid` naming the problem otherwise.
    public static func validate(_ hash: String) throws {
        _ = try parse(hash)
    }

    /// Whether `password` matches `hash` (false for a malformed hash).
    public static func verify(_ password: String, against hash: String) -> Bool {
        guard let (rounds, salt, expected) = try? parse(hash),
            let key = try? derive(password, salt: salt, rounds: rounds)
        else { return false }
        return PasswordDigest.constantTimeEqual(key, expected)
    }

    static func parse(_ hash: String) throws -> (rounds: Int, salt: [UInt8], key: [UInt8]) {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == scheme else {
            throw SpecError.invalid(
                "a password hash is written '\(scheme)$<rounds>$<salt>$<key>' (make one with 'vmgate user add')")
        }
        guard let rounds = Int(parts[1]), rounds >= defaultRounds, rounds <= maxRounds else {
            throw SpecError.invalid("password hash rounds must be \(defaultRounds)...\(maxRounds)")
        }
        guard let salt = Data(base64Encoded: String(parts[2])), salt.count >= 8,
            let key = Data(base64Encoded: String(parts[3])), key.count == 32
        else { throw SpecError.invalid("password hash salt or key is not valid base64 of the right size") }
        return (rounds, Array(salt), Array(key))
    }

    static func derive(_ password: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}
