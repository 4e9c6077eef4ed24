import Spec

/// What a dialect asks for when it creates a machine; the core fills the gaps from the
/// group, the template and the backend's defaults.
public struct CreateMachineRequest: Sendable, Hashable {
    /// Name; generated from the template when nil.
    public var name: String?
    /// Template name; falls back to the group's template.
    public var template: String?
    /// Group; falls back to the core's default group.
    public var group: String?
    /// Backend; chosen by the group's placement policy when nil.
    public var backend: String?
    /// vCPUs, overriding the template.
    public var vcpus: Int?
    /// Memory in KiB, overriding the template.
    public var memoryKiB: Int?
    /// Pool for new volumes.
    public var storagePool: String?
    /// Size of the blank disk when there is no template, in bytes.
    public var diskBytes: Int?
    /// Network to join, overriding template and backend default.
    public var network: String?
    /// `network` or `bridge` for ``network``; nil means the backend's default type.
    public var networkType: String?
    /// An extra CD-ROM, `pool/volume` (an ISO such as a cloud-init seed), after the template's disks.
    public var cdrom: String? = nil
    /// Tags to store.
    public var tags: [String: String]
    /// Lifetime in hours.
    public var lifetimeHours: Double?
    /// Dialect-specific metadata.
    public var extra: [String: String]
    /// Start after creation.
    public var start: Bool

    /// Creates a request.
    public init(
        name: String? = nil, template: String? = nil, group: String? = nil, backend: String? = nil, vcpus: Int? = nil,
        memoryKiB: Int? = nil, storagePool: String? = nil, diskBytes: Int? = nil, network: String? = nil,
        tags: [String: String] = [:], lifetimeHours: Double? = nil, extra: [String: String] = [:], start: Bool = false,
        networkType: String? = nil
    ) {
        self.name = name
        self.template = template
        self.group = group
        self.backend = backend
        self.vcpus = vcpus
        self.memoryKiB = memoryKiB
        self.storagePool = storagePool
        self.diskBytes = diskBytes
        self.network = network
        self.networkType = networkType
        self.tags = tags
        self.lifetimeHours = lifetimeHours
        self.extra = extra
        self.start = start
    }
}
