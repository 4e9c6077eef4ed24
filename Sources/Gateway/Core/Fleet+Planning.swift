import Foundation
public import Spec

extension Fleet {
    /// The backend and the complete spec for a create request.
    struct Plan {
        var backend: any Backend
        var spec: MachineSpec
    }

    func plan(_ request: CreateMachineRequest) async throws -> Plan {
        let groupName = request.group ?? defaultGroup
        let group = try groupName.map { try groups.require($0) }
        let templateName = request.template ?? group?.template
        var template: Template?
        if let templateName { template = try await requireTemplate(templateName) }
        let backend = try await place(explicit: request.backend, group: group)
        let defaults = backends.defaults(backend.name)

        let name = request.name ?? NameGenerator.machineName(from: templateName)
        try NameRules.validate(name, what: "machine name")
        let vcpus = request.vcpus ?? template?.vcpus ?? 1
        try Limits.validate(vcpus: vcpus)
        let memory = request.memoryKiB ?? template?.memoryKiB ?? 128 * 1024
        try Limits.validate(memoryKiB: memory)
        if let pool = request.storagePool { try NameRules.validate(pool, what: "storage pool") }
        let pool = request.storagePool ?? defaults.pool

        var disks: [DiskSpec] = []
        if let template {
            for disk in template.disks.sorted(by: { $0.index < $1.index }) {
                let bytes = try disk.sizeGiB.map { try Limits.diskBytes($0, .gib, field: "disk \(disk.index) size") }
                if let volume = disk.volume {
                    guard let basePool = disk.pool ?? defaults.pool else {
                        throw SpecError.invalid("template '\(template.name)' disk \(disk.index) names no storage pool")
                    }
                    disks.append(
                        DiskSpec(source: .overlay(pool: basePool, volume: volume), pool: pool, capacityBytes: bytes))
                } else if let bytes {
                    disks.append(DiskSpec(source: .blank(capacityBytes: bytes), pool: pool))
                }
            }
            if let cdrom = template.cdrom, let (isoPool, iso) = Self.poolAndVolume(cdrom, defaultPool: defaults.pool) {
                disks.append(DiskSpec(source: .cdrom(pool: isoPool, volume: iso)))
            }
        } else {
            let bytes = request.diskBytes ?? defaults.blankDiskBytes
            try Limits.validate(diskBytes: bytes)
            disks.append(DiskSpec(source: .blank(capacityBytes: bytes), pool: pool))
        }

        if let cdrom = request.cdrom {
            guard let (isoPool, iso) = Self.poolAndVolume(cdrom, defaultPool: defaults.pool) else {
                throw SpecError.invalid("cdrom '\(cdrom)' is not a pool/volume reference")
            }
            disks.append(DiskSpec(source: .cdrom(pool: isoPool, volume: iso)))
        }
        if let network = request.network { try NameRules.validate(network, what: "network name") }
        let network = request.network ?? template?.network ?? defaults.network
        let networkType = request.network != nil ? request.networkType ?? defaults.networkType : defaults.networkType
        let nics = network.map { [NICSpec(sourceType: networkType, source: $0)] } ?? []
        let metadata = MachineMetadata(
            group: group?.name, template: template?.name, tags: request.tags, createdAt: Date(),
            lifetimeHours: request.lifetimeHours ?? group?.lifetimeHours, extra: request.extra)
        try Self.validateText(of: metadata)
        let spec = MachineSpec(
            name: name, vcpus: vcpus, memoryKiB: memory, disks: disks, nics: nics,
            graphics: template == nil ? "vnc" : template?.graphics, serialConsole: true, metadata: metadata,
            start: request.start)
        return Plan(backend: backend, spec: spec)
    }

    /// Splits `pool/volume` (or a bare volume in the default pool); URIs are not volumes.
    static func poolAndVolume(_ reference: String, defaultPool: String?) -> (String, String)? {
        guard !reference.contains("://") else { return nil }
        let parts = reference.split(separator: "/").map(String.init)
        if parts.count >= 2 { return (parts[parts.count - 2], parts[parts.count - 1]) }
        guard let pool = defaultPool, let volume = parts.first else { return nil }
        return (pool, volume)
    }

    /// Picks the backend for a new machine of `group`.
    func place(explicit: String?, group: Group?) async throws -> any Backend {
        if let explicit { return try backends.backend(explicit) }
        let candidates = try (group?.backends ?? Array(backends.names.prefix(1))).map { try backends.backend($0) }
        guard let first = candidates.first else { throw SpecError.unavailable("no backend is configured") }
        guard candidates.count > 1 else { return first }
        switch group?.placement ?? .mostFreeMemory {
        case .pinned:
            return first
        case .roundRobin:
            let index = roundRobin.withLock { cursors -> Int in
                let next = cursors[group?.name ?? "", default: 0]
                cursors[group?.name ?? ""] = next + 1
                return next
            }
            return candidates[index % candidates.count]
        case .mostFreeMemory:
            var best: (backend: any Backend, free: Int)?
            for candidate in candidates {
                guard let info = try? await call(candidate, "hostInfo", { try await $0.hostInfo() }) else { continue }
                if best == nil || info.freeMemoryKiB > best!.free { best = (candidate, info.freeMemoryKiB) }
            }
            guard let best else {
                throw SpecError.unavailable("no backend of group '\(group?.name ?? "")' is reachable")
            }
            return best.backend
        }
    }

    /// Checks a complete spec that arrives as it is (the backend-level route): name, sizes, disk
    /// capacities, tags and metadata text, with the limits every dialect applies.
    public static func validate(_ spec: MachineSpec) throws {
        try NameRules.validate(spec.name, what: "machine name")
        try Limits.validate(vcpus: spec.vcpus, field: "vcpus")
        try Limits.validate(memoryKiB: spec.memoryKiB, field: "memoryKiB")
        guard spec.disks.count <= 26, spec.nics.count <= 16 else {
            throw SpecError.invalid("a machine has at most 26 disks and 16 network interfaces")
        }
        for disk in spec.disks {
            if case .blank(let bytes) = disk.source { try Limits.validate(diskBytes: bytes, what: "blank disk size") }
            if let bytes = disk.capacityBytes { try Limits.validate(diskBytes: bytes, what: "disk capacity") }
        }
        try validateText(of: spec.metadata)
        if let hours = spec.metadata.lifetimeHours { try Limits.lifetime(hours: hours, field: "lifetimeHours") }
    }
}
