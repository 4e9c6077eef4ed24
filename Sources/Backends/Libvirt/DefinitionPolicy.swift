import Foundation
import Spec

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// What a domain definition from outside the backend (a kept definition redefined by Comet, or
/// one an operator posts to the backend-level route) may contain before it reaches
/// `virDomainDefineXML`, which runs with the host's full power.
///
/// The policy is an allow-list: known top-level elements and devices only; disks only as files
/// inside the backend's storage pools or as volumes of its pools; serial consoles and channels
/// only as pseudo-terminals; network interfaces only on libvirt networks or bridges; no host
/// devices, no `qemu:` namespace (`qemu:commandline`), no host paths for kernels, firmware or
/// sockets. `<emulator>` is dropped so libvirt picks the host's own. vmgate's record of which
/// disks it owns is rewritten from the caller's list (the gateway's records), never taken from
/// the document.
struct DefinitionPolicy {
    /// Target directories of the backend's pools.
    var poolPaths: [String]
    /// Names of the backend's pools.
    var poolNames: Set<String>

    static let topLevel: Set<String> = [
        "name", "uuid", "title", "description", "metadata", "memory", "currentMemory", "maxMemory", "vcpu", "vcpus",
        "cpu", "os", "features", "clock", "on_poweroff", "on_reboot", "on_crash", "on_lockfailure", "pm", "devices",
        "resource", "sysinfo", "genid", "iothreads", "numatune", "cputune",
    ]
    static let devices: Set<String> = [
        "disk", "interface", "graphics", "video", "serial", "console", "channel", "input", "controller", "memballoon",
        "rng", "sound", "watchdog", "panic", "audio",
    ]
    static let osElements: Set<String> = ["type", "boot", "bootmenu", "smbios", "bios", "acpi"]

    /// Checks `xml` and returns it with `<emulator>` removed and the vmgate ownership record set
    /// to `ownedPaths` (only paths that are disks of this definition are kept).
    func sanitize(_ xml: String, ownedPaths: [String]) throws(SpecError) -> String {
        let document = try XMLText.document(xml, what: "domain")
        guard let root = document.rootElement(), root.name == "domain" else {
            throw SpecError.invalid("domain XML has no <domain> root")
        }
        for element in root.elements where !Self.topLevel.contains(element.name ?? "") {
            throw refused("element <\(element.name ?? "?")>")
        }
        try checkNamespaces(root)
        if let os = root.child("os") {
            for element in os.elements where !Self.osElements.contains(element.name ?? "") {
                throw refused("<os><\(element.name ?? "?")> (host kernels, firmware and loaders)")
            }
        }
        var diskPaths: Set<String> = []
        if let devices = root.child("devices") {
            for element in devices.elements {
                let name = element.name ?? "?"
                if name == "emulator" {
                    element.detach()
                    continue
                }
                guard Self.devices.contains(name) else { throw refused("device <\(name)>") }
                try check(device: element, named: name, diskPaths: &diskPaths)
            }
        }
        try rewriteOwnership(root, owned: ownedPaths.filter { diskPaths.contains(HostPath.normalize($0)) })
        return document.xmlString
    }

    private func check(device element: XMLElement, named name: String, diskPaths: inout Set<String>) throws(SpecError) {
        if element.attr("socket") != nil || element.child("script") != nil {
            throw refused("host sockets and scripts in <\(name)>")
        }
        switch name {
        case "disk":
            let path = try checkDisk(element)
            if let path { diskPaths.insert(path) }
        case "interface":
            guard ["network", "bridge"].contains(element.attr("type") ?? "") else {
                throw refused("interfaces other than type 'network' or 'bridge'")
            }
            if element.child("backend") != nil { throw refused("<interface><backend> (host tap devices)") }
        case "serial", "console":
            guard (element.attr("type") ?? "pty") == "pty" else { throw refused("\(name)s other than type 'pty'") }
        case "channel":
            let type = element.attr("type") ?? ""
            guard type == "pty" || (type == "unix" && element.child("source") == nil) else {
                throw refused("channels other than 'pty' or 'unix' without a host path")
            }
        case "graphics":
            if element.elements.contains(where: { $0.attr("socket") != nil }) {
                throw refused("host sockets in <graphics>")
            }
        case "audio":
            guard (element.attr("type") ?? "none") == "none" else { throw refused("audio other than type 'none'") }
        case "rng":
            guard let backend = element.child("backend"), backend.attr("model") == "random",
                ["/dev/urandom", "/dev/random"].contains(backend.stringValue?.trimmed ?? "/dev/urandom")
            else { throw refused("rng devices other than /dev/urandom") }
        default:
            if element.child("source") != nil { throw refused("a host source in <\(name)>") }
        }
    }

    /// The disk's host path when it is a file inside a pool; nil for a volume of a pool.
    private func checkDisk(_ disk: XMLElement) throws(SpecError) -> String? {
        guard ["disk", "cdrom"].contains(disk.attr("device") ?? "disk") else {
            throw refused("disks other than device 'disk' or 'cdrom'")
        }
        let source = disk.child("source")
        if let backing = disk.child("backingStore"), !(backing.children ?? []).isEmpty {
            throw refused("<backingStore> in a disk (the image itself names its backing file)")
        }
        switch disk.attr("type") ?? "file" {
        case "file":
            guard let file = source?.attr("file") else { return nil }  // an empty CD-ROM drive
            let path = HostPath.normalize(file)
            guard isInsidePool(path) else { throw refused("disk '\(file)', which is outside the storage pools") }
            return path
        case "volume":
            guard let pool = source?.attr("pool"), poolNames.contains(pool) else {
                throw refused("a volume of a pool this backend does not have")
            }
            return nil
        default:
            throw refused("disks other than files and volumes of the storage pools (host block devices)")
        }
    }

    /// Whether `path` is a file below one of the pools' directories.
    private func isInsidePool(_ path: String) -> Bool {
        poolPaths.map(HostPath.normalize).contains { $0 != "/" && $0 != path && HostPath.contains($0, path) }
    }

    /// Elements in a foreign namespace are refused outside `<metadata>` (`qemu:commandline`).
    private func checkNamespaces(_ element: XMLElement) throws(SpecError) {
        for child in element.elements {
            if child.name == "metadata", element.name == "domain" { continue }
            if let name = child.name, name.contains(":") || (child.uri ?? "").isEmpty == false {
                throw refused("element <\(name)> in another namespace")
            }
            try checkNamespaces(child)
        }
    }

    private func rewriteOwnership(_ root: XMLElement, owned: [String]) throws(SpecError) {
        let metadata = root.child("metadata")
        let existing = MetadataXML(metadataElement: metadata)
        guard existing != nil || !owned.isEmpty else { return }
        for element in metadata?.elements ?? [] where (element.localName ?? element.name) == "machine" {
            element.detach()
        }
        let record = MetadataXML(metadata: existing?.metadata ?? MachineMetadata(), ownedPaths: owned)
        let fragment = try XMLText.document(record.xml, what: "metadata")
        guard let element = fragment.rootElement()?.copy() as? XMLElement else { return }
        let container = metadata ?? XMLElement(name: "metadata")
        if metadata == nil { root.addChild(container) }
        container.addChild(element)
    }

    private func refused(_ what: String) -> SpecError {
        SpecError.invalid("machine definitions may not contain \(what)")
    }
}

extension XMLElement {
    /// Child elements, in document order.
    var elements: [XMLElement] { (children ?? []).compactMap { $0 as? XMLElement } }
}
