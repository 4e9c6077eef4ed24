import Foundation
import Spec

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Escaping and small parsing helpers for the XML vmgate exchanges with libvirt.
enum XMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'` so `text` is safe in element content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Parses a document, mapping failures to `invalid`. Documents with a `DOCTYPE` (and so any
    /// entity declaration) are refused before libxml2 sees them, and external entities are never
    /// loaded: nothing in a definition can make the gateway read a file or fetch a URL.
    static func document(_ xml: String, what: String) throws(SpecError) -> XMLDocument {
        try refuseDeclarations(xml, what: what)
        do {
            return try XMLDocument(xmlString: xml, options: [.nodeLoadExternalEntitiesNever])
        } catch {
            throw SpecError.invalid("malformed \(what) XML", cause: String(describing: error))
        }
    }

    /// `invalid` when `xml` declares a document type or entities (`<!DOCTYPE`, `<!ENTITY`).
    static func refuseDeclarations(_ xml: String, what: String) throws(SpecError) {
        let bytes = Array(xml.utf8)
        var index = 0
        while let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
            index = open + 1
            guard index < bytes.count, bytes[index] == UInt8(ascii: "!") else { continue }
            let word = String(decoding: bytes[(index + 1)..<min(bytes.count, index + 8)], as: UTF8.self).uppercased()
            if word.hasPrefix("DOCTYPE") || word.hasPrefix("ENTITY") {
                throw SpecError.invalid("\(what) XML must not contain a DOCTYPE or entity declarations")
            }
        }
    }
}

extension XMLElement {
    /// First child element with local name `name`.
    func child(_ name: String) -> XMLElement? {
        children?.lazy.compactMap { $0 as? XMLElement }.first { ($0.localName ?? $0.name) == name }
    }

    /// Child elements with local name `name`.
    func childElements(_ name: String) -> [XMLElement] {
        (children ?? []).compactMap { $0 as? XMLElement }.filter { ($0.localName ?? $0.name) == name }
    }

    /// Value of attribute `name`.
    func attr(_ name: String) -> String? {
        attribute(forName: name)?.stringValue
    }

    /// Element at a `/`-separated path of local names below this element.
    func path(_ path: String) -> XMLElement? {
        var element: XMLElement? = self
        for part in path.split(separator: "/") {
            element = element?.child(String(part))
        }
        return element
    }

    /// Text of the element at `path`, trimmed.
    func text(_ path: String) -> String? {
        self.path(path)?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Converts a libvirt size with a unit attribute to bytes.
func bytes(of element: XMLElement?, defaultUnit: String = "bytes") -> Int? {
    guard let element, let text = element.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines),
        let value = Int(text)
    else { return nil }
    let unit = (element.attr("unit") ?? defaultUnit).lowercased()
    let factor: Int =
        switch unit {
        case "b", "bytes": 1
        case "k", "kib": 1024
        case "kb": 1000
        case "m", "mib": 1 << 20
        case "mb": 1_000_000
        case "g", "gib": 1 << 30
        case "gb": 1_000_000_000
        case "t", "tib": 1 << 40
        case "tb": 1_000_000_000_000
        default: 1
        }
    let (product, overflow) = value.multipliedReportingOverflow(by: factor)
    return overflow ? nil : product
}
