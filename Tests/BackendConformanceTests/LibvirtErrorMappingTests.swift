import CLibvirt
import PropertyBased
import Spec
import Testing

@testable import Libvirt
@testable import Proxy

@Suite("libvirt and upstream errors onto the Spec taxonomy")
struct LibvirtErrorMappingTests {
    static func map(_ code: virErrorNumber, _ text: String, dead: Bool = false) -> SpecError {
        LibvirtError.map(
            code: Int32(code.rawValue), text: text, verb: "define", subject: "machine 'm'", connectionDead: dead)
    }

    /// libvirt's words, which must reach the log (the cause) and never the message.
    static let libvirtText = Gen.letterOrNumber.string(of: 8...40).map { "libvirt says: " + $0 }

    @Test("a definition or argument libvirt rejects is invalid (400), whatever libvirt's text")
    func clientInput() async {
        let codes = Gen<virErrorNumber?>.element(of: LibvirtError.clientInput).compactMap { $0 }
        await propertyCheck(input: codes, Self.libvirtText) { code, text in
            let error = Self.map(code, text)
            #expect(error.kind == .invalid, "code \(code.rawValue)")
            #expect(error.cause == text && !error.message.contains(text))
        }
    }

    @Test("a lost connection or a timeout is unavailable (503), whatever the code")
    func outages() async {
        let codes = Gen<UInt32>.value(in: 0...110).map { virErrorNumber($0) }
        await propertyCheck(input: codes, Self.libvirtText) { code, text in
            let dead = Self.map(code, text, dead: true)
            #expect(dead.kind == .unavailable && !dead.message.contains(text))
        }
        for code in LibvirtError.outage + [VIR_ERR_OPERATION_TIMEOUT, VIR_ERR_AGENT_UNRESPONSIVE] {
            #expect(Self.map(code, "x").kind == .unavailable, "code \(code.rawValue)")
        }
    }

    @Test(
        "the table of the other kinds",
        arguments: [
            (VIR_ERR_NO_DOMAIN, "Domain not found", SpecError.Kind.notFound),
            (VIR_ERR_DEVICE_MISSING, "no disk vdb", .notFound),
            (VIR_ERR_DOM_EXIST, "domain exists", .conflict),
            (VIR_ERR_OPERATION_INVALID, "domain is not running", .conflict),
            (VIR_ERR_INTERNAL_ERROR, "Not enough free space in pool for volume 'v'", .conflict),
            (VIR_ERR_NO_SUPPORT, "not supported", .unsupported),
            (VIR_ERR_INTERNAL_ERROR, "something broke", .unavailable),
            (VIR_ERR_NO_TARGET, "missing target information for device /x", .invalid),
        ])
    func table(code: virErrorNumber, text: String, kind: SpecError.Kind) {
        let error = Self.map(code, text)
        #expect(error.kind == kind)
        #expect(!error.message.contains(text))
    }

    @Test("an upstream gateway's own fault is, for the proxy, a backend that failed; its text stays a cause")
    func upstreamErrors() {
        let body = Array(#"{"error":{"code":500,"kind":"internal","message":"internal error in vmgate"}}"#.utf8)
        #expect(ProxyWire.error(status: 500, body: body, what: "GET x").kind == .unavailable)
        let html = ProxyWire.error(status: 502, body: Array("<html>proxy secret</html>".utf8), what: "GET x")
        #expect(html.kind == .unavailable && !html.message.contains("secret") && html.cause?.contains("secret") == true)
    }
}
