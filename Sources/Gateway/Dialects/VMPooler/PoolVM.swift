import DialectKit
import Foundation
import GatewayCore
import Spec

/// One VM the pool manager tracks.
struct PoolVM: Sendable, Hashable {
    /// Where a VM is in its life, as vmpooler names it.
    enum State: String, Sendable, Hashable {
        /// Being cloned.
        case pending
        /// Cloned and started; waiting for the readiness check.
        case booting
        /// Ready for checkout.
        case ready
        /// Checked out.
        case running
        /// Returned or expired; waiting to be destroyed.
        case completed
        /// Destroyed; kept for a while so `GET /vm/<host>` can say so.
        case destroyed
    }

    /// The short hostname (also the machine's name).
    var hostname: String
    /// Pool (group) name.
    var pool: String
    /// Template the VM was cloned from.
    var template: String
    /// Backend holding the machine, once cloned.
    var backend: String?
    /// Backend the clone was placed on, while it is pending.
    var target: String?
    var state: State
    /// When cloning started.
    var createdAt: Date
    /// When the clone finished and the VM booted.
    var bootStartedAt: Date?
    /// When the VM became ready.
    var readyAt: Date?
    /// When it was checked out.
    var checkoutAt: Date?
    /// When it was destroyed (or scheduled for it).
    var destroyedAt: Date?
    /// Lifetime in hours once checked out.
    var lifetimeHours: Double?
    var tags: [String: String]
    /// SHA-256 (hex) of the token the VM was checked out with: enough for `GET /token/<t>` to
    /// list the token's VMs, without keeping the secret itself in machine metadata.
    var tokenDigest: String?
    /// The user who checked the VM out (with a token); only they may change or return it.
    var user: String?
    /// Its first IP address, where known.
    var ip: String?
    /// Snapshots taken through the dialect.
    var snapshots: [String]
    /// Disks added through the dialect (`+<n>gb`).
    var disks: [String]
    /// Volumes of those disks (`pool/volume`), deleted with the VM.
    var volumes: [String] = []
    /// The on-demand request the VM was cloned for (not part of the pool's ready stock).
    var request: String?

    /// `backend:name`, once cloned.
    var machineID: String? { backend.map { "\($0):\(hostname)" } }

    /// When a running VM's lease ends.
    var expiresAt: Date? {
        guard let start = checkoutAt, let hours = lifetimeHours else { return nil }
        return start.addingTimeInterval(hours * 3600)
    }

    /// The metadata key holding the state.
    static let stateKey = "vmpooler.state"
    /// Where the VM's token was kept in clear before the digest replaced it (read when adopting).
    static let legacyTokenKey = "vmpooler.token"
    static let tokenDigestKey = "vmpooler.tokenDigest"
    static let userKey = "vmpooler.user"
    /// The gateway-wide owner key, read by layers outside the dialect.
    static let ownerKey = "owner"
    static let snapshotsKey = "vmpooler.snapshots"
    static let disksKey = "vmpooler.disks"
    static let readyKey = "vmpooler.readyAt"
    static let volumesKey = "vmpooler.volumes"
    static let requestKey = "vmpooler.request"

    /// The digest kept for a token value.
    static func digest(_ token: String) -> String { PasswordDigest.sha256Hex(token) }

    /// Writes the dialect's view into a machine's metadata.
    func apply(to metadata: inout MachineMetadata) {
        metadata.group = pool
        metadata.template = template
        metadata.tags = tags
        metadata.extra[Self.stateKey] = state.rawValue
        metadata.extra[Self.legacyTokenKey] = nil
        metadata.extra[Self.tokenDigestKey] = tokenDigest
        metadata.extra[Self.userKey] = user
        metadata.extra[Self.ownerKey] = user
        metadata.extra[Self.snapshotsKey] = snapshots.isEmpty ? nil : snapshots.joined(separator: ",")
        metadata.extra[Self.disksKey] = disks.isEmpty ? nil : disks.joined(separator: ",")
        metadata.extra[Self.requestKey] = request
        metadata.extra[Self.volumesKey] = volumes.isEmpty ? nil : volumes.joined(separator: ",")
        metadata.extra[Self.readyKey] = readyAt.map { String($0.timeIntervalSince1970) }
        metadata.leaseStart = checkoutAt
        metadata.lifetimeHours = checkoutAt == nil ? nil : lifetimeHours
    }

    /// Rebuilds the view from a machine found at start-up; nil when the machine is not a pooled VM.
    init?(adopting machine: Machine) {
        let metadata = machine.metadata
        guard let raw = metadata.extra[Self.stateKey], let state = State(rawValue: raw), let pool = metadata.group
        else {
            return nil
        }
        self.hostname = machine.name
        self.pool = pool
        self.template = metadata.template ?? ""
        self.backend = machine.backend
        self.state = state == .pending ? .booting : state
        self.createdAt = metadata.createdAt ?? Date()
        self.bootStartedAt = self.state == .booting ? Date() : nil
        self.readyAt = metadata.extra[Self.readyKey].flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
        self.checkoutAt = metadata.leaseStart ?? (state == .running ? metadata.createdAt : nil)
        self.destroyedAt = nil
        self.lifetimeHours = metadata.lifetimeHours
        self.tags = metadata.tags
        self.tokenDigest =
            metadata.extra[Self.tokenDigestKey] ?? metadata.extra[Self.legacyTokenKey].map(Self.digest)
        self.user = metadata.extra[Self.userKey] ?? metadata.extra[Self.ownerKey]
        self.ip = machine.nics.flatMap(\.addresses).first
        self.snapshots = metadata.extra[Self.snapshotsKey].map { $0.split(separator: ",").map(String.init) } ?? []
        self.disks = metadata.extra[Self.disksKey].map { $0.split(separator: ",").map(String.init) } ?? []
        self.request = metadata.extra[Self.requestKey]
        self.volumes = metadata.extra[Self.volumesKey].map { $0.split(separator: ",").map(String.init) } ?? []
    }

    /// A VM about to be cloned.
    init(hostname: String, pool: String, template: String, target: String? = nil) {
        self.hostname = hostname
        self.target = target
        self.pool = pool
        self.template = template
        self.state = .pending
        self.createdAt = Date()
        self.tags = [:]
        self.snapshots = []
        self.disks = []
    }
}
