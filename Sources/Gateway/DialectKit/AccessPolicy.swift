public import GatewayCore

/// How the gateway decides who is asking, the same for every dialect.
public struct AccessPolicy: Sendable {
    /// Whether requests need a credential.
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// Every request but a dialect's public ones needs a valid credential.
        case required
        /// Credentials are optional; requests without one act as the gateway itself.
        case none
    }

    /// Whether requests need a credential.
    public var mode: Mode
    /// The users.
    public var users: UserDirectory
    /// `Host` names (without port, lower case) the gateway answers to; nil answers any.
    public var allowedHosts: Set<String>?
    /// Origins (`https://ui.example:8443`) besides the gateway's own that may send
    /// state-changing requests and open WebSockets.
    public var allowedOrigins: Set<String>

    /// Creates a policy.
    public init(
        mode: Mode = .none, users: UserDirectory = UserDirectory(), allowedHosts: Set<String>? = nil,
        allowedOrigins: Set<String> = []
    ) {
        self.mode = mode
        self.users = users
        self.allowedHosts = allowedHosts
        self.allowedOrigins = allowedOrigins
    }

    /// No credentials needed, any host: what dialects built without configuration (tests) get.
    public static let open = AccessPolicy()

    /// Host names a loopback listener answers to.
    public static let loopbackHosts: Set<String> = ["localhost", "127.0.0.1", "::1", "[::1]"]
}
