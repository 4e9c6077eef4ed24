import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

extension KimchiDialect {
    func addTemplateRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/templates") { _, _ in
            try JSONWire.response(try await fleet.templates().map(templateWire))
        }
        routes.post("/templates") { request, context in
            let body = try await JSONWire.decode(KimchiTemplateInput.self, from: request, context: context)
            guard body.name != nil else { throw SpecError.invalid("missing required field 'name'") }
            let template = try await template(from: body, over: nil)
            try await fleet.createTemplate(template)
            let wire = templateWire(template)
            return try JSONWire.response(wire, status: .created, headers: [.location: wire.href ?? ""])
        }
        routes.get("/templates/:name") { _, context in
            try JSONWire.response(templateWire(try await fleet.requireTemplate(try context.parameters.require("name"))))
        }
        routes.put("/templates/:name") { request, context in
            let name = try context.parameters.require("name")
            let body = try await JSONWire.decode(KimchiTemplateInput.self, from: request, context: context)
            let template = try await template(from: body, over: try await fleet.requireTemplate(name))
            try await fleet.updateTemplate(named: name, to: template)
            let wire = templateWire(template)
            guard template.name == name else {
                // Kimchi answers a rename with a redirect to the resource's new URI.
                return Response(status: .seeOther, headers: [.location: wire.href ?? ""])
            }
            return try JSONWire.response(wire)
        }
        routes.delete("/templates/:name") { _, context in
            try await fleet.deleteTemplate(named: try context.parameters.require("name"))
            return Response(status: .noContent)
        }
    }

    /// The backend new VMs of this dialect's group land on first.
    var defaultBackend: String? {
        group.flatMap { fleet.groups.group($0)?.backends.first } ?? fleet.backends.names.first
    }

    var defaultPool: String? { defaultBackend.flatMap { fleet.backends.defaults($0).pool } }

    func templateWire(_ template: Template) -> KimchiTemplate {
        let pool = template.disks.first(where: { $0.volume != nil })?.pool ?? defaultPool
        let network = template.network ?? defaultBackend.flatMap { fleet.backends.defaults($0).network }
        return KimchiTemplate(
            name: template.name, folder: template.folder, icon: template.icon, os_distro: template.osDistro,
            os_version: template.osVersion, cpus: template.vcpus, memory: template.memoryKiB / 1024,
            cdrom: template.cdrom,
            disks: template.disks.sorted { $0.index < $1.index }.map {
                KimchiTemplateDisk(index: $0.index, size: $0.sizeGiB, volume: $0.volume, pool: $0.pool)
            },
            storagepool: pool.map { "/storagepools/\($0)" }, networks: network.map { [$0] } ?? [],
            graphics: KimchiGraphics(type: template.graphics, listen: nil, port: nil),
            href: environment.link("/templates/\(template.name)"))
    }

    /// A Spec template from a request body, over `base` for fields the body leaves out.
    func template(from input: KimchiTemplateInput, over base: Template?) async throws -> Template {
        guard let name = input.name ?? base?.name else { throw SpecError.invalid("missing required field 'name'") }
        try NameRules.validate(name, what: "template name")
        var template = base ?? Template(name: name)
        template.name = name
        if let folder = input.folder { template.folder = folder }
        if let icon = input.icon { template.icon = icon.isEmpty ? nil : icon }
        if let distro = input.os_distro { template.osDistro = distro }
        if let version = input.os_version { template.osVersion = version }
        if let cpus = input.cpus {
            try Limits.validate(vcpus: cpus)
            template.vcpus = cpus
        }
        if let memory = input.memory { template.memoryKiB = try Self.kibibytes(megabytes: memory) }
        var pool: String?
        if let uri = input.storagepool {
            guard let named = Self.identifier(fromURI: uri, collection: "storagepools") else {
                throw SpecError.invalid("storagepool must be a URI such as '/storagepools/NAME', not '\(uri)'")
            }
            try await requirePool(named)
            pool = named
        }
        if let disks = input.disks {
            template.disks = try await templateDisks(disks, pool: pool)
        } else if let pool {
            template.disks = template.disks.map { disk in
                var disk = disk
                if disk.volume != nil { disk.pool = pool }
                return disk
            }
        }
        if let cdrom = input.cdrom { template.cdrom = cdrom.isEmpty ? nil : try await isoReference(cdrom) }
        if let networks = input.networks {
            guard networks.count <= 1 else { throw SpecError.invalid("a template can name at most one network") }
            template.network = networks.first
        }
        if let graphics = input.graphics {
            let type = graphics.type.map { $0.lowercased() }
            guard type == nil || type == "vnc" || type == "spice" || type == "null" else {
                throw SpecError.invalid("graphics type must be 'vnc', 'spice' or null, not '\(graphics.type ?? "")'")
            }
            template.graphics = type == "null" ? nil : type
        }
        return template
    }

    private func templateDisks(_ disks: [KimchiTemplateDisk], pool: String?) async throws -> [TemplateDisk] {
        var result: [TemplateDisk] = []
        for (position, disk) in disks.enumerated() {
            let index = disk.index ?? position
            try Measure.bounded(index, 0...63, field: "disk index")
            if let size = disk.size { _ = try Limits.diskBytes(size, .gib, field: "disk \(index) size") }
            var diskPool: String?
            if let volume = disk.volume {
                guard let named = disk.pool ?? pool ?? defaultPool else {
                    throw SpecError.invalid("disk \(index) names volume '\(volume)' but no storage pool")
                }
                try NameRules.validate(volume, what: "volume name")
                try await requireVolume(volume, inPool: named)
                diskPool = named
            }
            result.append(TemplateDisk(index: index, sizeGiB: disk.size, pool: diskPool, volume: disk.volume))
        }
        return result
    }

    /// `invalid` unless volume `name` exists in `pool`.
    func requireVolume(_ name: String, inPool pool: String) async throws {
        try await requirePool(pool)
        do { _ = try await fleet.volume(name, inPool: pool) } catch let error as SpecError where error.kind == .notFound
        {
            throw SpecError.invalid("storage volume '\(name)' does not exist in pool '\(pool)'")
        }
    }

    /// A template's CD-ROM as `pool/volume`, from a storage volume URI, a host path inside a
    /// pool, `pool/volume` or a volume of the default pool.
    func isoReference(_ cdrom: String) async throws -> String {
        guard !cdrom.contains("://") else {
            throw SpecError.invalid(
                "cdrom '\(cdrom)': streaming ISO images from URLs is not supported; use a storage volume")
        }
        let parts = cdrom.split(separator: "/").map(String.init)
        var pool: String?
        var volume: String?
        if parts.count == 4, parts[0] == "storagepools", parts[2] == "storagevolumes" {
            (pool, volume) = (parts[1], parts[3])
        } else if cdrom.hasPrefix("/") {
            let directory = (cdrom as NSString).deletingLastPathComponent
            let pools = try await fleet.storagePools()
            pool = pools.first { $0.path.map { ($0 as NSString).standardizingPath } == directory }?.name
            volume = parts.last
            guard pool != nil else { throw SpecError.invalid("cdrom '\(cdrom)' is not inside any storage pool") }
        } else if parts.count == 2 {
            (pool, volume) = (parts[0], parts[1])
        } else if parts.count == 1 {
            (pool, volume) = (defaultPool, parts[0])
        }
        guard let pool, let volume else { throw SpecError.invalid("cdrom '\(cdrom)' does not name a storage volume") }
        try NameRules.validate(volume, what: "cdrom volume")
        try await requireVolume(volume, inPool: pool)
        return "\(pool)/\(volume)"
    }
}
