import Foundation
import Spec

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The vmgate element stored in a domain's `<metadata>`: gateway metadata plus the host paths
/// of the disk images vmgate created for the machine.
struct MetadataXML: Sendable, Equatable {
    /// Namespace URI of the element.
    static let namespace = "https://vmgate.dev/xmlns/machine/1"
    /// Prefix (libvirt's metadata key).
    static let prefix = "vmgate"

    var metadata: MachineMetadata
    /// Host paths of images vmgate created; they are deleted with the machine.
    var ownedPaths: [String]

    init(metadata: MachineMetadata = MachineMetadata(), ownedPaths: [String] = []) {
        self.metadata = metadata
        self.ownedPaths = ownedPaths
    }

    /// The element, fully escaped, with its namespace declaration (for a domain definition).
    var xml: String { render(qualified: true) }

    /// The element without prefix or namespace, for `virDomainSetMetadata`, which adds both.
    var unqualifiedXML: String { render(qualified: false) }

    private func render(qualified: Bool) -> String {
        let p = qualified ? Self.prefix + ":" : ""
        var out = qualified ? "<\(p)machine xmlns:\(Self.prefix)=\"\(Self.namespace)\">" : "<machine>"
        func element(_ name: String, _ value: String?) {
            guard let value else { return }
            out += "<\(p)\(name)>\(XMLText.escape(value))</\(p)\(name)>"
        }
        element("group", metadata.group)
        element("template", metadata.template)
        element("created", metadata.createdAt.map { String($0.timeIntervalSince1970) })
        element("lifetime-hours", metadata.lifetimeHours.map { String($0) })
        element("lease-start", metadata.leaseStart.map { String($0.timeIntervalSince1970) })
        for (key, value) in metadata.tags.sorted(by: { $0.key < $1.key }) {
            out += "<\(p)tag key=\"\(XMLText.escape(key))\">\(XMLText.escape(value))</\(p)tag>"
        }
        for (key, value) in metadata.extra.sorted(by: { $0.key < $1.key }) {
            out += "<\(p)extra key=\"\(XMLText.escape(key))\">\(XMLText.escape(value))</\(p)extra>"
        }
        for path in ownedPaths {
            out += "<\(p)disk path=\"\(XMLText.escape(path))\" owned=\"yes\"/>"
        }
        return out + "</\(p)machine>"
    }

    /// Parses the element alone as `virDomainGetMetadata` returns it: without prefix or namespace.
    init?(element: String) {
        guard let document = try? XMLText.document(element, what: "metadata"), let root = document.rootElement(),
            (root.localName ?? root.name) == "machine"
        else { return nil }
        self.init(root: root)
    }

    /// Reads the vmgate element from a domain's `<metadata>` element, if present.
    init?(metadataElement: XMLElement?) {
        guard let metadataElement else { return nil }
        let candidates = (metadataElement.children ?? []).compactMap { $0 as? XMLElement }
        guard
            let root = candidates.first(where: {
                ($0.localName ?? $0.name) == "machine"
                    && ($0.uri == Self.namespace || $0.name == "\(Self.prefix):machine")
            })
        else { return nil }
        self.init(root: root)
    }

    /// Reads a `machine` element.
    private init(root: XMLElement) {
        var metadata = MachineMetadata()
        metadata.group = root.text("group")
        metadata.template = root.text("template")
        metadata.createdAt = root.text("created").flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
        metadata.lifetimeHours = root.text("lifetime-hours").flatMap(Double.init)
        metadata.leaseStart = root.text("lease-start").flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
        for tag in root.childElements("tag") {
            if let key = tag.attr("key") { metadata.tags[key] = tag.stringValue ?? "" }
        }
        for extra in root.childElements("extra") {
            if let key = extra.attr("key") { metadata.extra[key] = extra.stringValue ?? "" }
        }
        self.metadata = metadata
        self.ownedPaths = root.childElements("disk").filter { $0.attr("owned") == "yes" }.compactMap { $0.attr("path") }
    }
}
