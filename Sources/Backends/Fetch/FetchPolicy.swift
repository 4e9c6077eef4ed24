public import Spec

/// What a ``ImageDownloader`` may fetch: which hosts and addresses, how many bytes, for how long.
///
/// Addresses that are not public — loopback, link-local, private, shared (CGNAT), multicast,
/// unspecified, documentation and reserved ranges, IPv4 and IPv6 alike (IPv4-mapped IPv6 is
/// checked as the IPv4 address) — are refused unless an operator lists a network holding them
/// in ``allowedNetworks``. The check applies to every address a host name resolves to, and
/// again to every redirect target.
public struct FetchPolicy: Sendable, Hashable {
    /// Host names (or IP literals) that may be fetched from; `*.example.com` also matches every
    /// subdomain. Empty: any host whose addresses pass the address check.
    public var allowedHosts: [String]
    /// Networks allowed even though they are not public (`127.0.0.1/32` for a local mirror).
    public var allowedNetworks: [IPNetwork]
    /// Largest body accepted, in bytes.
    public var maxBytes: Int
    /// Time for the whole transfer, redirects included, in seconds.
    public var timeoutSeconds: Double
    /// Redirects followed before giving up.
    public var maxRedirects: Int

    /// Creates a policy.
    public init(
        allowedHosts: [String] = [], allowedNetworks: [IPNetwork] = [], maxBytes: Int = 1 << 30,
        timeoutSeconds: Double = 600, maxRedirects: Int = 5
    ) {
        self.allowedHosts = allowedHosts
        self.allowedNetworks = allowedNetworks
        self.maxBytes = maxBytes
        self.timeoutSeconds = timeoutSeconds
        self.maxRedirects = maxRedirects
    }

    /// Ranges that are not public addresses, with what they are.
    public static let nonPublicNetworks: [(network: IPNetwork, what: String)] = [
        ("0.0.0.0/8", "an unspecified (this-network) address"),
        ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a shared (CGNAT) address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "a reserved address"),
        ("192.0.2.0/24", "a documentation address"),
        ("192.88.99.0/24", "a reserved (6to4 relay) address"),
        ("192.168.0.0/16", "a private address"),
        ("198.18.0.0/15", "a reserved (benchmarking) address"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("224.0.0.0/4", "a multicast address"),
        ("240.0.0.0/4", "a reserved address"),
        ("::/96", "an unspecified, loopback or IPv4-compatible address"),
        ("64:ff9b::/96", "a NAT64 address"),
        ("64:ff9b:1::/48", "a NAT64 address"),
        ("100::/64", "a discard address"),
        ("2001::/23", "a reserved (IETF protocol) address"),
        ("2001:db8::/32", "a documentation address"),
        ("2002::/16", "a 6to4 address"),
        ("fc00::/7", "a unique-local (private) address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a site-local address"),
        ("ff00::/8", "a multicast address"),
    ].map { (IPNetwork($0.0)!, $0.1) }

    /// Why `address` may not be fetched from, or nil when it may.
    public func refusal(of address: IPAddress) -> String? {
        if allowedNetworks.contains(where: { $0.contains(address) }) { return nil }
        guard let range = Self.nonPublicNetworks.first(where: { $0.network.contains(address) }) else { return nil }
        return "\(address) is \(range.what)"
    }

    /// Throws `invalid` unless `host` (lower-cased, without brackets) is allowed by ``allowedHosts``.
    public func checkHost(_ host: String) throws(SpecError) {
        guard !allowedHosts.isEmpty else { return }
        let name = host.lowercased().trimmingSuffix(".")
        for pattern in allowedHosts.map({ $0.lowercased().trimmingSuffix(".") }) {
            if pattern == name { return }
            if pattern.hasPrefix("*."), name.hasSuffix(pattern.dropFirst()), name.count > pattern.count - 1 { return }
        }
        throw SpecError.invalid("host '\(host)' is not one of the hosts images may be imported from")
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
