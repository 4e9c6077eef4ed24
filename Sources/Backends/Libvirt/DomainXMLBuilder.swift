import Spec

/// Builds the domain XML for a new machine. Every value from the request is XML-escaped.
struct DomainXMLBuilder {
    /// A disk resolved to a host path.
    struct Disk {
        var target: String
        var device: String  // disk or cdrom
        var bus: String
        var format: String
        var path: String
    }

    var spec: MachineSpec
    /// `test`, `qemu`, `kvm`.
    var domainType: String
    var emulator: String?
    var disks: [Disk]
    var ownedPaths: [String]

    var xml: String {
        let e = XMLText.escape
        var out = "<domain type='\(e(domainType))'>"
        out += "<name>\(e(spec.name))</name>"
        out += "<metadata>\(MetadataXML(metadata: spec.metadata, ownedPaths: ownedPaths).xml)</metadata>"
        out += "<memory unit='KiB'>\(spec.memoryKiB)</memory>"
        out += "<currentMemory unit='KiB'>\(spec.memoryKiB)</currentMemory>"
        out += "<vcpu>\(spec.vcpus)</vcpu>"
        if domainType == "test" {
            out += "<os><type>hvm</type></os>"
        } else {
            out += "<os><type arch='x86_64'>hvm</type><boot dev='hd'/></os><features><acpi/></features>"
        }
        out += "<on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>"
        out += "<devices>"
        if let emulator { out += "<emulator>\(e(emulator))</emulator>" }
        for disk in disks { out += Self.diskXML(disk) }
        for nic in spec.nics {
            let type = nic.sourceType == "bridge" ? "bridge" : "network"
            out += "<interface type='\(type)'>"
            if let mac = nic.mac { out += "<mac address='\(e(mac))'/>" }
            out += "<source \(type)='\(e(nic.source))'/><model type='virtio'/></interface>"
        }
        if let graphics = spec.graphics {
            out += "<graphics type='\(e(graphics))' autoport='yes' listen='127.0.0.1'/>"
        }
        if spec.serialConsole {
            out += "<serial type='pty'><target port='0'/></serial>"
            out += "<console type='pty'><target type='serial' port='0'/></console>"
        }
        out += "</devices></domain>"
        return out
    }

    /// A `<disk>` device element.
    static func diskXML(_ disk: Disk) -> String {
        let e = XMLText.escape
        var out = "<disk type='file' device='\(e(disk.device))'>"
        out += "<driver name='qemu' type='\(e(disk.format))'/>"
        out += "<source file='\(e(disk.path))'/>"
        out += "<target dev='\(e(disk.target))' bus='\(e(disk.bus))'/>"
        if disk.device == "cdrom" { out += "<readonly/>" }
        return out + "</disk>"
    }
}
