import Crypto

/// RFC 4122 version-5 (SHA-1, name-based) UUIDs, so devices libvirt gives no UUID (NICs,
/// disks) still get identifiers that are the same on every request and every gateway.
enum NameBasedUUID {
    /// The UUID of `name` in the namespace `namespace` (a UUID string); nil if `namespace` is not a UUID.
    static func make(namespace: String, name: String) -> String? {
        guard let space = bytes(of: namespace) else { return nil }
        // SHA-1 is what version 5 prescribes; it identifies, it does not protect anything.
        var digest = Array(Insecure.SHA1.hash(data: space + Array(name.utf8)))
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        return format(Array(digest.prefix(16)))
    }

    static func bytes(of uuid: String) -> [UInt8]? {
        let hex = uuid.filter { $0 != "-" }
        guard hex.count == 32 else { return nil }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }

    static func format(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(36)
        for (offset, byte) in bytes.enumerated() {
            if offset == 4 || offset == 6 || offset == 8 || offset == 10 { text.append("-") }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
