import GatewayCore
import Spec

extension ConfigurationLoader {
    /// Checks every number in the configuration against the bounds the gateway uses at run time,
    /// with the same overflow-checked conversions as request fields, naming the key that is off.
    static func validateNumbers(_ config: GatewayConfiguration) throws {
        try key("listen.port") { try Measure.bounded(config.listen.port, 0...65_535, field: $0) }
        try key("callTimeoutSeconds") { try seconds(config.callTimeoutSeconds, field: $0) }
        try key("idleTimeoutSeconds") { try seconds(config.idleTimeoutSeconds, field: $0) }
        for (index, backend) in config.backends.enumerated() {
            let at = "backends[\(index)]"
            try key("\(at).blankDiskGiB") { field in
                if let size = backend.blankDiskGiB { _ = try Limits.diskBytes(size, .gib, field: field) }
            }
            try key("\(at).threads") { field in
                if let threads = backend.threads { try Measure.bounded(threads, 1...64, field: field) }
            }
            try key("\(at).keepaliveInterval") { field in
                if let interval = backend.keepaliveInterval { try Measure.bounded(interval, -1...3600, field: field) }
            }
            try key("\(at).keepaliveCount") { field in
                if let count = backend.keepaliveCount { try Measure.bounded(count, 0...1000, field: field) }
            }
            try key("\(at).connectTimeoutSeconds") { try seconds(backend.connectTimeoutSeconds, field: $0) }
            try key("\(at).timeoutSeconds") { try seconds(backend.timeoutSeconds, field: $0) }
            try key("\(at).pollIntervalSeconds") { try seconds(backend.pollIntervalSeconds, field: $0) }
            for (rootIndex, root) in (backend.storageRoots ?? []).enumerated() {
                try key("\(at).storageRoots[\(rootIndex)]") { _ in
                    try StorageRoots.validate(root: root, protected: [config.dataDirectory].compactMap { $0 })
                }
            }
            for (seedIndex, seed) in (backend.seedVolumes ?? []).enumerated() {
                try key("\(at).seedVolumes[\(seedIndex)].capacityMiB") {
                    _ = try Limits.diskBytes(seed.capacityMiB, .mib, field: $0)
                }
            }
        }
        for (index, group) in config.groups.enumerated() {
            try key("groups[\(index)].size") { field in
                if let size = group.size { try Measure.bounded(size, Limits.machinesPerRequest, field: field) }
            }
            try key("groups[\(index)].lifetimeHours") { field in
                if let hours = group.lifetimeHours { try Limits.lifetime(hours: hours, field: field) }
            }
        }
        for (index, template) in config.templates.enumerated() {
            let at = "templates[\(index)]"
            try key("\(at).vcpus") { field in
                if let vcpus = template.vcpus { try Limits.validate(vcpus: vcpus, field: field) }
            }
            try key("\(at).memoryMiB") { field in
                if let memory = template.memoryMiB { _ = try Limits.memoryKiB(memory, .mib, field: field) }
            }
            for (diskIndex, disk) in (template.disks ?? []).enumerated() {
                try key("\(at).disks[\(diskIndex)].index") { field in
                    if let value = disk.index { try Measure.bounded(value, 0...63, field: field) }
                }
                try key("\(at).disks[\(diskIndex)].sizeGiB") { field in
                    if let size = disk.sizeGiB { _ = try Limits.diskBytes(size, .gib, field: field) }
                }
            }
        }
        for (index, mount) in config.dialects.enumerated() {
            try key("dialects[\(index)].port") { field in
                if let port = mount.port { try Measure.bounded(port, 0...65_535, field: field) }
            }
        }
    }

    /// A duration option: finite, more than 0 and at most a day.
    private static func seconds(_ value: Double?, field: String) throws(SpecError) {
        guard let value else { return }
        guard value > 0 else { throw SpecError.invalid("\(field) must be more than 0 seconds") }
        try Measure.bounded(value, 0...86_400, field: field, unit: "seconds")
    }

    /// Runs `check` and turns its `invalid` into a configuration failure naming `key`.
    private static func key(_ key: String, _ check: (String) throws -> Void) throws {
        do { try check(key) } catch let error as SpecError {
            throw Failure(description: error.message.hasPrefix(key) ? error.message : "\(key): \(error.message)")
        }
    }
}
