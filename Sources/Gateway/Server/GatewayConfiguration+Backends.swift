import Foundation
import Proxy

extension GatewayConfiguration.BackendSettings {
    /// The libvirt URI with the SSH settings folded in as libvirt URI parameters:
    /// `sshKey` → `keyfile=`, `knownHosts: ignore` → `no_verify=1`, another `knownHosts` →
    /// `known_hosts=`, and `no_tty=1` for SSH transports so a missing key never waits for a
    /// password prompt. Parameters already in the URI win.
    var libvirtURI: String {
        var uri = uri ?? "test:///default"
        let scheme = uri.prefix { $0 != ":" }
        let isSSH = scheme.hasSuffix("+ssh") || scheme.hasSuffix("+libssh") || scheme.hasSuffix("+libssh2")
        var parameters: [(String, String)] = []
        if let key = sshKey { parameters.append(("keyfile", key)) }
        if let known = knownHosts {
            if known == "ignore" {
                parameters.append(("no_verify", "1"))
            } else {
                parameters.append(("known_hosts", known))
            }
        }
        if isSSH, !parameters.isEmpty || sshKey != nil { parameters.append(("no_tty", "1")) }
        let existing = Self.parameterNames(of: uri)
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        for (name, value) in parameters where !existing.contains(name) {
            let encoded = value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
            uri += (uri.contains("?") ? "&" : "?") + name + "=" + encoded
        }
        return uri
    }

    static func parameterNames(of uri: String) -> Set<String> {
        guard let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return Set(query.split(separator: "&").map { String($0.prefix { $0 != "=" }) })
    }

    /// Settings of a `proxy` backend.
    var proxyConfiguration: ProxyConfiguration {
        ProxyConfiguration(
            url: url ?? "", upstreamBackend: upstreamBackend ?? "", connectTimeout: connectTimeoutSeconds ?? 5,
            timeout: timeoutSeconds ?? 30, caFile: caFile, clientCertificate: clientCertificate, clientKey: clientKey,
            insecure: insecure ?? false, bearerToken: token, username: username, password: password,
            threads: threads ?? 4, pollInterval: pollIntervalSeconds ?? 2)
    }
}
