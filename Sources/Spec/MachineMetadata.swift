public import Foundation

/// What the gateway knows about a machine beyond the hypervisor's view.
///
/// Backends persist it with the machine itself (libvirt: the domain's `<metadata>` element),
/// so another gateway instance sees the same group, tags, lease and template.
public struct MachineMetadata: Sendable, Codable, Hashable {
    /// The group (pool, cluster, infrastructure) the machine belongs to.
    public var group: String?
    /// The template it was created from.
    public var template: String?
    /// Free-form tags.
    public var tags: [String: String]
    /// When the machine was created through vmgate.
    public var createdAt: Date?
    /// Lifetime in hours, counted from ``leaseStart``; nil means no expiry.
    public var lifetimeHours: Double?
    /// When the lifetime started counting (e.g. vmpooler checkout).
    public var leaseStart: Date?
    /// Dialect- or service-specific values (`vmpooler.state`, `im.infrastructure`, ...).
    public var extra: [String: String]

    /// Creates metadata.
    public init(
        group: String? = nil, template: String? = nil, tags: [String: String] = [:], createdAt: Date? = nil,
        lifetimeHours: Double? = nil, leaseStart: Date? = nil, extra: [String: String] = [:]
    ) {
        self.group = group
        self.template = template
        self.tags = tags
        self.createdAt = createdAt
        self.lifetimeHours = lifetimeHours
        self.leaseStart = leaseStart
        self.extra = extra
    }

    /// When the lease runs out, if there is one.
    public var expiresAt: Date? {
        guard let hours = lifetimeHours, let start = leaseStart ?? createdAt else { return nil }
        return start.addingTimeInterval(hours * 3600)
    }
}
