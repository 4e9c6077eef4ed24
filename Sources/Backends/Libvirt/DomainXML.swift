import Foundation
import Spec

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The parts of a libvirt domain definition vmgate reads.
struct DomainXML: Sendable {
    struct Disk: Sendable {
        var target: String
        var device: String
        var bus: String?
        var format: String?
        var path: String?
        /// The `<disk>` element as XML, for detaching.
        var elementXML: String
    }

    var uuid: String
    var name: String
    var vcpus: Int
    var memoryKiB: Int
    var disks: [Disk]
    var nics: [MachineNIC]
    var graphics: [GraphicsConsole]
    var hasSerialConsole: Bool
    var vmgate: MetadataXML

    /// Parses a domain XML document.
    init(_ xml: String) throws(SpecError) {
        let document = try XMLText.document(xml, what: "domain")
        guard let root = document.rootElement(), root.name == "domain" else {
            throw SpecError.invalid("domain XML has no <domain> root")
        }
        uuid = root.text("uuid") ?? ""
        name = root.text("name") ?? ""
        vcpus = root.path("vcpu").flatMap { $0.attr("current") ?? $0.stringValue }.flatMap { Int($0.trimmed) } ?? 1
        memoryKiB = (bytes(of: root.child("currentMemory") ?? root.child("memory"), defaultUnit: "KiB") ?? 0) / 1024
        let devices = root.child("devices")
        disks = (devices?.childElements("disk") ?? []).compactMap { disk in
            guard let target = disk.child("target")?.attr("dev") else { return nil }
            let source = disk.child("source")
            return Disk(
                target: target, device: disk.attr("device") ?? "disk", bus: disk.child("target")?.attr("bus"),
                format: disk.child("driver")?.attr("type"),
                path: source?.attr("file") ?? source?.attr("dev") ?? source?.attr("volume"),
                elementXML: disk.xmlString)
        }
        nics = (devices?.childElements("interface") ?? []).map { nic in
            let type = nic.attr("type") ?? "network"
            let source = nic.child("source")
            return MachineNIC(
                mac: nic.child("mac")?.attr("address") ?? "", sourceType: type,
                source: source?.attr("network") ?? source?.attr("bridge") ?? source?.attr("dev") ?? "",
                model: nic.child("model")?.attr("type"), hostDevice: nic.child("target")?.attr("dev"))
        }
        graphics = (devices?.childElements("graphics") ?? []).map { element in
            let port = element.attr("port").flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
            let listen = element.attr("listen") ?? element.child("listen")?.attr("address")
            return GraphicsConsole(type: element.attr("type") ?? "vnc", port: port, listen: listen)
        }
        hasSerialConsole =
            !(devices?.childElements("serial") ?? []).isEmpty
            || !(devices?.childElements("console") ?? []).isEmpty
        vmgate = MetadataXML(metadataElement: root.child("metadata")) ?? MetadataXML()
    }

    /// Target names in use, disks and CD-ROMs alike.
    var usedTargets: Set<String> { Set(disks.map(\.target)) }

    /// Host device names of the NICs (for interface stats).
    var nicDevices: [String] { nics.compactMap(\.hostDevice) }

    /// Returns `xml` with vCPUs and/or memory replaced, for redefinition.
    static func replacingHardware(in xml: String, vcpus: Int?, memoryKiB: Int?) throws(SpecError) -> String {
        let document = try XMLText.document(xml, what: "domain")
        guard let root = document.rootElement() else { throw SpecError.invalid("domain XML has no root") }
        if let vcpus {
            let vcpu = root.child("vcpu") ?? XMLElement(name: "vcpu")
            if vcpu.parent == nil { root.addChild(vcpu) }
            vcpu.removeAttribute(forName: "current")
            vcpu.stringValue = String(vcpus)
        }
        if let memoryKiB {
            for name in ["memory", "currentMemory"] {
                let element = root.child(name) ?? XMLElement(name: name)
                if element.parent == nil { root.addChild(element) }
                element.removeAttribute(forName: "unit")
                element.addAttribute(XMLNode.attribute(withName: "unit", stringValue: "KiB") as! XMLNode)
                element.stringValue = String(memoryKiB)
            }
        }
        return document.xmlString
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// Guest device names: `vda`, `vdb`, ... `vdz`, `vdaa`, ...
enum DeviceNames {
    /// The first name with `prefix` not in `used`.
    static func next(prefix: String, used: Set<String>) -> String {
        var index = 0
        while true {
            let name = prefix + suffix(index)
            if !used.contains(name) { return name }
            index += 1
        }
    }

    static func suffix(_ index: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var index = index
        var out = ""
        repeat {
            out = String(letters[index % 26]) + out
            index = index / 26 - 1
        } while index >= 0
        return out
    }
}
