internal import CLibvirt
import Spec

/// Owns one `virDomainPtr`. Used only inside a single thread-pool closure.
final class DomainHandle {
    let pointer: OpaquePointer
    let connection: LibvirtConnection

    init(_ pointer: OpaquePointer, connection: LibvirtConnection) {
        self.pointer = pointer
        self.connection = connection
    }

    deinit { virDomainFree(pointer) }

    /// Looks a domain up by name; unknown names throw `notFound`.
    static func lookup(_ name: String, in connection: LibvirtConnection) throws(SpecError) -> DomainHandle {
        guard let pointer = virDomainLookupByName(connection.pointer, name) else {
            throw LibvirtError.capture("look up", "machine '\(name)'", connection: connection)
        }
        return DomainHandle(pointer, connection: connection)
    }

    /// The domain name.
    var name: String { virDomainGetName(pointer).map { String(cString: $0) } ?? "" }

    /// Current state, normalized.
    func state() throws(SpecError) -> MachineStateCode {
        var state: Int32 = 0
        var reason: Int32 = 0
        guard virDomainGetState(pointer, &state, &reason, 0) == 0 else {
            throw LibvirtError.capture("read the state of", "machine '\(name)'", connection: connection)
        }
        return MachineStateCode(raw: state)
    }

    /// The domain XML (`inactive` returns the persistent definition).
    func xml(inactive: Bool = false) throws(SpecError) -> String {
        let flags = inactive ? VIR_DOMAIN_XML_INACTIVE.rawValue : 0
        guard let xml = takeString(virDomainGetXMLDesc(pointer, flags)) else {
            throw LibvirtError.capture("read the definition of", "machine '\(name)'", connection: connection)
        }
        return xml
    }

    /// The vmgate metadata element of the persistent (or, for a transient domain, live)
    /// definition, nil when the domain has none.
    func vmgateMetadata() -> MetadataXML? {
        let flags = isPersistent ? VIR_DOMAIN_AFFECT_CONFIG.rawValue : VIR_DOMAIN_AFFECT_LIVE.rawValue
        let element = takeString(
            virDomainGetMetadata(pointer, Int32(VIR_DOMAIN_METADATA_ELEMENT.rawValue), MetadataXML.namespace, flags))
        guard let element else {
            LibvirtError.discard()  // VIR_ERR_NO_DOMAIN_METADATA
            return nil
        }
        return MetadataXML(element: element)
    }

    /// Whether the domain is defined persistently.
    var isPersistent: Bool {
        let result = virDomainIsPersistent(pointer)
        if result < 0 { LibvirtError.discard() }
        return result == 1
    }

    /// Runs a libvirt call returning 0 on success (or a non-negative value), throwing its error otherwise.
    func check(_ verb: String, _ call: (OpaquePointer) -> Int32) throws(SpecError) {
        if call(pointer) < 0 {
            throw LibvirtError.capture(verb, "machine '\(name)'", connection: connection)
        }
    }
}
