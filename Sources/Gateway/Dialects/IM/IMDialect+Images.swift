import DialectKit
import Foundation
import GatewayCore
import Spec

/// `disk.0.image.url`: which images an IM VM may boot from.
///
/// A `pool/volume` URL deploys an overlay of that volume, so it must name an image, never some
/// machine's disk. A volume is an image when (1) it is no machine's disk and no infrastructure's
/// contextualization seed, and (2) either a template the operator made (not one of IM's own
/// `img-<pool>-<volume>` registrations) lists it as a disk, or the gateway's records say the
/// gateway created it (upload, import, disk copy or IM snapshot) and it is a standalone image
/// (no backing file). Anything else is refused with 400.
extension IMDialect {
    /// Maps an image URL to a vmgate template: the last path component names a template
    /// (`vmgate://host/demo`, `one://host/demo`), or the last two name `pool/volume` of an image,
    /// for which a template `img-<pool>-<volume>` is registered on first use.
    func template(forImage url: String) async throws -> String {
        var path = Substring(url)
        if let scheme = url.range(of: "://") { path = url[scheme.upperBound...] }
        let parts = path.split(separator: "/").map(String.init)
        guard let last = parts.last, !last.isEmpty else {
            throw IMFailure(400, "disk.0.image.url '\(url)' names no image")
        }
        if let template = try? await fleet.store.template(named: last) {
            // IM's own registrations are a cache of earlier look-ups, not a grant: checked again.
            if let disk = Self.imageTemplateDisk(template),
                let volume = try? await fleet.volume(disk.volume, inPool: disk.pool)
            {
                try await requireImage(volume, url: url)
            }
            return last
        }
        if parts.count >= (url.contains("://") ? 3 : 2) {
            let pool = parts[parts.count - 2]
            if let volume = try? await fleet.volume(last, inPool: pool) {
                try await requireImage(volume, url: url)
                let name = Self.imageTemplate(pool: pool, volume: last)
                try NameRules.validate(name, what: "image template name")
                if try await fleet.store.template(named: name) == nil {
                    try await fleet.store.saveTemplate(
                        Template(name: name, disks: [TemplateDisk(index: 0, pool: pool, volume: last)]))
                }
                return name
            }
        }
        throw IMFailure(400, "disk.0.image.url '\(url)': no vmgate template named '\(last)' and no such pool/volume")
    }

    /// The template IM creates to deploy from volume `volume` of `pool`.
    static func imageTemplate(pool: String, volume: String) -> String { "img-\(pool)-\(volume)" }

    /// The `pool/volume` of a template IM registered itself (``imageTemplate(pool:volume:)``), nil for others.
    static func imageTemplateDisk(_ template: Template) -> (pool: String, volume: String)? {
        guard template.disks.count == 1, let pool = template.disks[0].pool, let volume = template.disks[0].volume,
            template.name == imageTemplate(pool: pool, volume: volume)
        else { return nil }
        return (pool, volume)
    }

    /// Refuses (400) a volume that is not an image (see the extension's rule). One message for every
    /// reason, so the answer does not tell whose disk a volume is.
    func requireImage(_ volume: StorageVolume, url: String) async throws {
        guard try await isImage(volume) else {
            throw IMFailure(
                400,
                "disk.0.image.url '\(url)': volume '\(volume.pool)/\(volume.name)' is not an image (only template "
                    + "base volumes and images uploaded, imported or copied through the gateway can be deployed)")
        }
    }

    /// Whether `volume` is an image IM may deploy from.
    func isImage(_ volume: StorageVolume) async throws -> Bool {
        if await !fleet.machines(usingVolumePath: volume.path).isEmpty { return false }
        if try await repository.seeds().contains("\(volume.pool)/\(volume.name)") { return false }
        let defaultPool = fleet.backends.defaults(volume.backend).pool
        for template in try await fleet.templates() where Self.imageTemplateDisk(template) == nil {
            if template.disks.contains(where: { ($0.pool ?? defaultPool) == volume.pool && $0.volume == volume.name }) {
                return true
            }
        }
        return try await fleet.ownsVolume(volume) && volume.backingPath == nil
    }
}
