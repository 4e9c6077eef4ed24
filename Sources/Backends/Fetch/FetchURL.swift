internal import CCurl
import Spec

/// A URL as libcurl itself parses it (`curl_url`), so the host the gateway vets is exactly the
/// host libcurl connects to: no second parser that could read `http://a\@b/` differently.
final class FetchURL {
    /// The parsed handle, handed to the transfer with `CURLOPT_CURLU`.
    let handle: OpaquePointer
    /// `http` or `https`.
    let scheme: String
    /// Host name or IP literal, without brackets.
    let host: String
    /// Port, the scheme's default when the URL names none.
    let port: Int
    /// The URL as libcurl normalized it.
    let text: String

    /// Parses `url`; only absolute http(s) URLs with a host are accepted.
    init(_ url: String) throws(SpecError) {
        guard let handle = curl_url() else { throw SpecError.unavailable("libcurl could not parse a URL") }
        self.handle = handle
        guard curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK else {
            curl_url_cleanup(handle)
            throw SpecError.invalid("'\(url)' is not a valid URL")
        }
        let scheme = Self.part(handle, CURLUPART_SCHEME, 0)?.lowercased() ?? ""
        var host = Self.part(handle, CURLUPART_HOST, 0) ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = Self.part(handle, CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT)).flatMap { Int($0) } ?? 0
        guard ["http", "https"].contains(scheme) else {
            curl_url_cleanup(handle)
            throw SpecError.invalid("url scheme must be http or https, not '\(scheme)'")
        }
        guard !host.isEmpty, port > 0 else {
            curl_url_cleanup(handle)
            throw SpecError.invalid("url '\(url)' names no host")
        }
        if Self.part(handle, CURLUPART_ZONEID, 0) != nil {
            curl_url_cleanup(handle)
            throw SpecError.invalid("url '\(url)' has an IPv6 zone id")
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.text = Self.part(handle, CURLUPART_URL, 0) ?? url
    }

    deinit { curl_url_cleanup(handle) }

    /// The URL without user information, for messages.
    var redacted: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let path = Self.part(handle, CURLUPART_PATH, 0) ?? "/"
        return "\(scheme)://\(hostPart):\(port)\(path)"
    }

    private static func part(_ handle: OpaquePointer, _ what: CURLUPart, _ flags: UInt32) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, what, &value, flags) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }
}
