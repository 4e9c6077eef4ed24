/// A group of machines and the unit of routing: a vmpooler pool, a Comet cluster,
/// an IM infrastructure, or a dialect's default group.
public struct Group: Sendable, Codable, Hashable {
    /// How new machines are placed when a group lists several backends.
    public enum Placement: String, Sendable, Codable, CaseIterable {
        /// The backend with most free memory.
        case mostFreeMemory = "most-free-memory"
        /// Each backend in turn.
        case roundRobin = "round-robin"
        /// Always the first backend.
        case pinned
    }

    /// Group name.
    public var name: String
    /// Backends the group's machines live on (first is the default).
    public var backends: [String]
    /// Template new machines are made from.
    public var template: String?
    /// Target number of ready machines (pools) or members (clusters).
    public var size: Int
    /// Default lifetime of machines, in hours.
    public var lifetimeHours: Double?
    /// Placement policy across ``backends``.
    public var placement: Placement
    /// Alternative names (vmpooler pool aliases).
    public var aliases: [String]
    /// Dialect-specific options.
    public var options: [String: String]

    /// Creates a group.
    public init(
        name: String, backends: [String], template: String? = nil, size: Int = 0, lifetimeHours: Double? = nil,
        placement: Placement = .mostFreeMemory, aliases: [String] = [], options: [String: String] = [:]
    ) {
        self.name = name
        self.backends = backends
        self.template = template
        self.size = size
        self.lifetimeHours = lifetimeHours
        self.placement = placement
        self.aliases = aliases
        self.options = options
    }
}
