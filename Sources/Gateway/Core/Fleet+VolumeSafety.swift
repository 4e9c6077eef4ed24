import Foundation
public import Spec

/// Which volumes the gateway may destroy: only those it created itself (its records in the
/// store), and only while nothing uses them: no machine's disk, no template, no kept
/// definition of a released machine (a hold), and no other volume that has it as its backing
/// file.
extension Fleet {
    static let volumeNamespace = "gateway.volumes"
    static let holdNamespace = "gateway.volume-holds"

    /// Records that the gateway created `volume`, so it may delete it later.
    public func recordVolume(_ volume: StorageVolume) async throws {
        try await store.setValue(Data(volume.path.utf8), namespace: Self.volumeNamespace, key: Self.key(volume))
    }

    /// Whether the gateway's records say it created `volume`.
    public func ownsVolume(_ volume: StorageVolume) async throws -> Bool {
        let recorded = try await store.values(namespace: Self.volumeNamespace)[Self.key(volume)]
        return recorded.map { String(decoding: $0, as: UTF8.self) } == volume.path
    }

    /// Keeps the images at `paths` from being deleted until ``releaseHold(_:)`` (the disks of a
    /// machine released from its host, whose definition the gateway keeps).
    public func holdVolumes(atPaths paths: [String], for holder: String) async throws {
        try await store.setValue(try JSONEncoder().encode(paths), namespace: Self.holdNamespace, key: holder)
    }

    /// Ends a hold taken with ``holdVolumes(atPaths:for:)``.
    public func releaseHold(_ holder: String) async throws {
        try await store.setValue(nil, namespace: Self.holdNamespace, key: holder)
    }

    /// `conflict` naming the user when a machine, a template, a hold or another volume (as its
    /// backing file) uses `volume`.
    public func requireUnused(_ volume: StorageVolume) async throws {
        let what = "volume '\(volume.name)'"
        let users = await machines(usingVolumePath: volume.path)
        guard users.isEmpty else {
            throw SpecError.conflict("\(what) is used by \(users.map(\.id).joined(separator: ", "))")
        }
        for (holder, data) in try await store.values(namespace: Self.holdNamespace) {
            if let paths = try? JSONDecoder().decode([String].self, from: data), paths.contains(volume.path) {
                throw SpecError.conflict("\(what) belongs to \(holder), which is kept off its host")
            }
        }
        let defaultPool = backends.defaults(volume.backend).pool
        for template in try await templates() {
            let disks = template.disks.contains { ($0.pool ?? defaultPool) == volume.pool && $0.volume == volume.name }
            let cdrom = template.cdrom.flatMap { Self.poolAndVolume($0, defaultPool: defaultPool) }
            if disks || (cdrom?.0 == volume.pool && cdrom?.1 == volume.name) {
                throw SpecError.conflict("\(what) is used by template '\(template.name)'")
            }
        }
        for pool in try await storagePools(backend: volume.backend) {
            let overlays = (try? await volumes(inPool: pool.name, backend: volume.backend)) ?? []
            if let overlay = overlays.first(where: { $0.backingPath == volume.path }) {
                throw SpecError.conflict("\(what) is the backing file of '\(overlay.pool)/\(overlay.name)'")
            }
        }
    }

    /// Deletes a volume the gateway created and nothing uses; `conflict` otherwise. `known`
    /// says the caller established from the gateway's own knowledge that the image is the
    /// gateway's (an overlay in a deleted machine's backing chain), so no record is needed.
    public func deleteVolume(_ name: String, inPool pool: String, backend: String? = nil, known: Bool = false)
        async throws
    {
        let volume = try await self.volume(name, inPool: pool, backend: backend)
        let owned = try await ownsVolume(volume)
        guard known || owned else {
            throw SpecError.conflict(
                "volume '\(name)' was not created through the gateway, so the gateway does not delete it")
        }
        try await requireUnused(volume)
        try await onPool(pool, backend: volume.backend, "deleteVolume") {
            try await $0.deleteVolume(named: name, inPool: pool)
        }
        try await store.setValue(nil, namespace: Self.volumeNamespace, key: Self.key(volume))
    }

    /// Checks that `volume` may be resized (nothing uses it) or, when `destroying` (a wipe), that
    /// the gateway created it too.
    public func requireMaintainable(_ volume: StorageVolume, destroying: Bool) async throws {
        if destroying, try await !ownsVolume(volume) {
            throw SpecError.conflict(
                "volume '\(volume.name)' was not created through the gateway, so the gateway does not wipe it")
        }
        try await requireUnused(volume)
    }

    static func key(_ volume: StorageVolume) -> String { "\(volume.backend)/\(volume.pool)/\(volume.name)" }
}
