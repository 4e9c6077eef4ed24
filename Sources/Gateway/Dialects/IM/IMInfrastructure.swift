import Foundation
import Spec

/// One IM infrastructure as vmgate keeps it in the store (namespace `im`, key = id).
struct IMInfrastructure: Codable, Sendable {
    /// IM infrastructure id (a UUID).
    var id: String
    /// Username of the InfrastructureManager auth entry that created it.
    var owner: String
    /// The password of that entry, salted and hashed. Nil in records written before passwords were
    /// bound: the first authenticated access by `owner` binds its password (trust on first use).
    var credential: IMCredential?
    /// The accumulated RADL (creation plus added resources and reconfigurations).
    var document: RADLDocument
    /// The run-time fleet group holding its machines.
    var group: String
    /// Backend its machines go to (from a `type = vmgate` auth entry), nil for the group's placement.
    var backend: String?
    /// Its VMs, in id order.
    var vms: [IMVM] = []
    /// Next VM id.
    var nextVM = 0
    /// Infrastructure-level contextualization log.
    var contmsg = ""
    /// Disk snapshots taken through the API.
    var snapshots: [IMSnapshot] = []
    /// When it was created.
    var createdAt = Date()

    /// The VM with IM id `id`.
    func vm(_ id: Int) -> IMVM? { vms.first { $0.id == id } }

    /// Whether `caller` may use it: same user name and, once bound, the same password (IM's
    /// `is_authorized`). A record with no credential yet is usable by name (see ``credential``).
    func admits(_ caller: IMCaller) -> Bool {
        if caller.isAdmin { return true }
        guard owner == caller.user else { return false }
        return credential?.matches(caller.password) ?? true
    }
}

/// One VM of an infrastructure.
struct IMVM: Codable, Sendable {
    /// IM VM id: 0, 1, 2… within the infrastructure.
    var id: Int
    /// vmgate machine id (`backend:name`); nil when creation failed.
    var machine: String?
    /// The system this VM was deployed from, with alterations applied.
    var system: RADLAspect
    /// Outcome of contextualization: true done, false failed or unsupported, nil not run.
    var contextualized: Bool?
    /// Contextualization log of this VM.
    var contmsg = ""
    /// Why creation failed, if it did.
    var failure: String?
    /// Whether it was stopped through the API (reported `stopped` rather than `off`).
    var stopped = false
    /// The NoCloud seed volume attached as a CD-ROM (`pool/volume` on the machine's backend).
    var seed: String?
}

/// A disk snapshot taken with `PUT …/disks/N/snapshot`.
struct IMSnapshot: Codable, Sendable {
    /// vmgate machine id.
    var machine: String
    /// Snapshot name (the `image_name`).
    var name: String
    /// Delete it when the infrastructure is destroyed.
    var autoDelete: Bool
    /// The image volume (`pool/volume` on the machine's backend) when the disk was copied into one;
    /// nil for a libvirt snapshot of the machine.
    var image: String?
}

/// The infrastructures, cached in memory and written through to the gateway store.
actor IMRepository {
    static let namespace = "im"
    private let store: any GatewayStore
    private var cache: [String: IMInfrastructure]?

    init(store: any GatewayStore) { self.store = store }

    private func loaded() async throws -> [String: IMInfrastructure] {
        if let cache { return cache }
        var result: [String: IMInfrastructure] = [:]
        for (key, data) in try await store.values(namespace: Self.namespace) {
            if let value = try? JSONDecoder().decode(IMInfrastructure.self, from: data) { result[key] = value }
        }
        cache = result
        return result
    }

    /// Infrastructures `caller` may use, oldest first; records not yet bound to a password are bound
    /// to the caller's.
    func list(for caller: IMCaller) async throws -> [IMInfrastructure] {
        var result: [IMInfrastructure] = []
        for infrastructure in try await loaded().values where infrastructure.admits(caller) {
            result.append(try await bind(infrastructure, to: caller))
        }
        return result.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Binds a record written before passwords were bound to `caller`'s password (no-op once bound).
    func bind(_ infrastructure: IMInfrastructure, to caller: IMCaller) async throws -> IMInfrastructure {
        guard infrastructure.credential == nil, infrastructure.owner == caller.user else { return infrastructure }
        var bound = infrastructure
        bound.credential = IMCredential(password: caller.password)
        try await save(bound)
        return bound
    }

    /// The seed volumes (`pool/volume`) of all infrastructures' VMs.
    func seeds() async throws -> Set<String> {
        Set(try await loaded().values.flatMap { $0.vms.compactMap(\.seed) })
    }

    /// One infrastructure, whoever owns it.
    func get(_ id: String) async throws -> IMInfrastructure? { try await loaded()[id] }

    /// Inserts or replaces.
    func save(_ infrastructure: IMInfrastructure) async throws {
        _ = try await loaded()
        let data = try JSONEncoder().encode(infrastructure)
        try await store.setValue(data, namespace: Self.namespace, key: infrastructure.id)
        cache?[infrastructure.id] = infrastructure
    }

    /// Changes an infrastructure atomically and returns it.
    @discardableResult
    func update(_ id: String, _ change: @Sendable (inout IMInfrastructure) throws -> Void) async throws
        -> IMInfrastructure
    {
        guard var infrastructure = try await loaded()[id] else {
            throw IMFailure(404, "Invalid infrastructure ID: \(id)")
        }
        try change(&infrastructure)
        try await save(infrastructure)
        return infrastructure
    }

    /// Reserves `count` VM ids.
    func reserveVMs(_ id: String, count: Int) async throws -> [Int] {
        let updated = try await update(id) { $0.nextVM += count }
        return Array((updated.nextVM - count)..<updated.nextVM)
    }

    /// Forgets an infrastructure.
    func remove(_ id: String) async throws {
        _ = try await loaded()
        try await store.setValue(nil, namespace: Self.namespace, key: id)
        cache?[id] = nil
    }
}
