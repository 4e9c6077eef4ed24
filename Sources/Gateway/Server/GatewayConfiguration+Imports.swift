import Fetch
import Foundation
public import GatewayCore

extension GatewayConfiguration {
    /// `imports`: where images may be imported from (Comet volume `url`s) and the limits of
    /// imports and uploads. Left out, `file://` is refused and http(s) reaches public addresses only.
    public struct ImportSettings: Sendable, Codable, Equatable {
        /// The only directory `file://` imports read from; none refuses every `file://` import.
        public var directory: String?
        /// Host names http(s) imports may reach (`*.example.com` for subdomains); empty: any.
        public var allowedHosts: [String]?
        /// Non-public networks (CIDR) http(s) imports may reach anyway, e.g. `10.1.0.0/16` for a
        /// local mirror; loopback, link-local, private, CGNAT, multicast and unspecified
        /// addresses are refused unless listed here.
        public var allowedNetworks: [String]?
        /// Largest image imported or uploaded, in bytes (default 1 GiB).
        public var maxBytes: Int?
        /// Time for one import or upload, in seconds (default 600).
        public var timeoutSeconds: Double?
        /// Redirects an http(s) import follows (default 5).
        public var maxRedirects: Int?
        /// Where incoming images are spooled (default: the system's temporary directory).
        public var spoolDirectory: String?

        /// Creates settings.
        public init(
            directory: String? = nil, allowedHosts: [String]? = nil, allowedNetworks: [String]? = nil,
            maxBytes: Int? = nil, timeoutSeconds: Double? = nil, maxRedirects: Int? = nil, spoolDirectory: String? = nil
        ) {
            self.directory = directory
            self.allowedHosts = allowedHosts
            self.allowedNetworks = allowedNetworks
            self.maxBytes = maxBytes
            self.timeoutSeconds = timeoutSeconds
            self.maxRedirects = maxRedirects
            self.spoolDirectory = spoolDirectory
        }

        /// The schema of the section, for ``ConfigurationSchema``.
        static let keys = [
            "directory", "allowedHosts", "allowedNetworks", "maxBytes", "timeoutSeconds", "maxRedirects",
            "spoolDirectory",
        ]

        /// The settings the fleet works with; throws ``ConfigurationLoader/Failure`` naming the bad key.
        public func resolved() throws -> ImageImportSettings {
            var networks: [IPNetwork] = []
            for (index, text) in (allowedNetworks ?? []).enumerated() {
                guard let network = IPNetwork(text) else {
                    throw ConfigurationLoader.Failure(
                        description:
                            "imports.allowedNetworks[\(index)]: '\(text)' is not a network in CIDR notation (10.0.0.0/8, fd00::/8)"
                    )
                }
                networks.append(network)
            }
            let maxBytes = maxBytes ?? (1 << 30)
            guard maxBytes > 0 else {
                throw ConfigurationLoader.Failure(description: "imports.maxBytes must be positive")
            }
            let timeout = timeoutSeconds ?? 600
            guard timeout > 0, timeout <= 86_400 else {
                throw ConfigurationLoader.Failure(description: "imports.timeoutSeconds must be between 0 and 86400")
            }
            let redirects = maxRedirects ?? 5
            guard (0...20).contains(redirects) else {
                throw ConfigurationLoader.Failure(description: "imports.maxRedirects must be between 0 and 20")
            }
            for (key, path) in [("directory", directory), ("spoolDirectory", spoolDirectory)] {
                guard let path else { continue }
                var isDirectory: ObjCBool = false
                guard path.hasPrefix("/"), FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
                    isDirectory.boolValue
                else {
                    throw ConfigurationLoader.Failure(
                        description: "imports.\(key): '\(path)' is not an existing directory")
                }
            }
            for (index, host) in (allowedHosts ?? []).enumerated() where host.isEmpty || host.contains("/") {
                throw ConfigurationLoader.Failure(
                    description: "imports.allowedHosts[\(index)]: '\(host)' is not a host name")
            }
            return ImageImportSettings(
                directory: directory,
                fetch: FetchPolicy(
                    allowedHosts: allowedHosts ?? [], allowedNetworks: networks, maxBytes: maxBytes,
                    timeoutSeconds: timeout, maxRedirects: redirects),
                spoolDirectory: spoolDirectory)
        }
    }
}
