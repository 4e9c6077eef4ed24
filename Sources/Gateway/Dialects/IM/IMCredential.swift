import DialectKit
import Foundation
import GatewayCore

/// The password an infrastructure is bound to, as IM binds each infrastructure to the user name
/// and password of the InfrastructureManager entry that created it (`InfrastructureInfo.is_authorized`).
/// Stored as `sha256(salt + password)` with a random per-infrastructure salt; never part of a response.
struct IMCredential: Codable, Sendable, Hashable {
    /// Random hex salt, different for every infrastructure.
    var salt: String
    /// Lower-case hex SHA-256 of `salt + password`.
    var hash: String

    /// A credential for `password` with a fresh random salt.
    init(password: String) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let salt = bytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
        self.salt = salt
        self.hash = PasswordDigest.sha256Hex(salt + password)
    }

    /// Whether `password` is the one this credential was made from (constant time).
    func matches(_ password: String) -> Bool {
        PasswordDigest.matches(password: password, salt: salt, expected: hash)
    }
}
