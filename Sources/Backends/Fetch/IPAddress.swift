/// An IPv4 or IPv6 address as 16 bytes (IPv4 as its IPv4-mapped IPv6 form, `::ffff:a.b.c.d`),
/// so one comparison covers both families and a mapped address is checked as the IPv4 address
/// it stands for.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The 16 bytes, network order.
    public let bytes: [UInt8]

    /// An address from its 16 bytes.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "an IP address has 16 bytes")
        self.bytes = bytes
    }

    /// An IPv4 address from its 4 bytes.
    public init(ipv4 octets: [UInt8]) {
        precondition(octets.count == 4, "an IPv4 address has 4 bytes")
        self.bytes = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + octets
    }

    /// Parses dotted IPv4 (`10.0.0.1`) or textual IPv6 (`fe80::1`, `::ffff:127.0.0.1`, with or
    /// without brackets); nil for anything else (no zone ids, no short or octal IPv4 forms).
    public init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let v4 = Self.parseIPv4(text) {
            self.init(ipv4: v4)
        } else if let v6 = Self.parseIPv6(text) {
            self.init(bytes: v6)
        } else {
            return nil
        }
    }

    /// True for IPv4 (and IPv4-mapped IPv6) addresses.
    public var isIPv4: Bool { bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF }

    /// `a.b.c.d` for IPv4, the RFC 5952 form for IPv6.
    public var description: String {
        if isIPv4 { return bytes[12...].map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        // The longest run of two or more zero groups becomes "::".
        var best = (start: -1, length: 0)
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < 8, groups[index] == 0 { index += 1 }
            if index - start > best.length, index - start > 1 { best = (start, index - start) }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.start >= 0 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                part.count == 1 || part.first != "0", let value = UInt8(part)
            else { return nil }
            octets.append(value)
        }
        return octets
    }

    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        guard text.contains(":"), !text.contains("%") else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4Tail: Bool) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, allowIPv4Tail, piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    result += v4
                } else {
                    guard (1...4).contains(piece.count), piece.allSatisfy(\.isHexDigit),
                        let value = UInt16(piece, radix: 16)
                    else { return nil }
                    result += [UInt8(value >> 8), UInt8(value & 0xFF)]
                }
            }
            return result
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], allowIPv4Tail: true), all.count == 16 else { return nil }
            return all
        }
        guard let head = groups(halves[0], allowIPv4Tail: false), let tail = groups(halves[1], allowIPv4Tail: true),
            head.count + tail.count <= 14
        else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}

/// A CIDR block (`10.0.0.0/8`, `fc00::/7`); IPv4 blocks are kept as IPv4-mapped IPv6 blocks.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block.
    public let address: IPAddress
    /// Prefix length in bits of the 128-bit form.
    public let prefixLength: Int

    /// Parses `address/length` or a bare address (a single-address block); nil when malformed
    /// or when bits are set past the prefix.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.isIPv4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            guard parts[1].allSatisfy(\.isNumber), let value = Int(parts[1]), (0...maximum).contains(value) else {
                return nil
            }
            length = value
        }
        self.init(address: address, prefixLength: address.isIPv4 ? length + 96 : length)
        guard Self.masked(address, prefixLength) == address else { return nil }
    }

    /// A block from its first address and the prefix length of the 128-bit form.
    public init(address: IPAddress, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// True when `candidate` lies in the block.
    public func contains(_ candidate: IPAddress) -> Bool {
        Self.masked(candidate, prefixLength) == address
    }

    /// `a.b.c.d/n` or `v6/n`.
    public var description: String {
        "\(address)/\(address.isIPv4 && prefixLength >= 96 ? prefixLength - 96 : prefixLength)"
    }

    private static func masked(_ address: IPAddress, _ length: Int) -> IPAddress {
        var bytes = address.bytes
        for index in 0..<16 {
            let bits = max(0, min(8, length - index * 8))
            bytes[index] &= bits == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
        }
        return IPAddress(bytes: bytes)
    }
}
