import Foundation
import GatewayTestSupport
import Spec
import Testing

@testable import GatewayCore

/// Every uploaded or imported image is inspected: the gateway decides the format and refuses
/// images that would open other files of the host.
@Suite("Image inspection")
struct ImageInspectorTests {
    static func inspect(_ path: String, declared: String? = nil) async -> Result<ImageFile, SpecError> {
        do {
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            return .success(try await ImageInspector.inspect(path: path, byteCount: size, declaredFormat: declared))
        } catch { return .failure(SpecError.wrap(error)) }
    }

    static func message(_ result: Result<ImageFile, SpecError>) -> String {
        if case .failure(let error) = result { return "\(error.kind): \(error.message)" }
        return "accepted"
    }

    @Test("raw and plain qcow2 images pass with the format the gateway determined")
    func accepted() async throws {
        let images = try TestImages()
        defer { images.remove() }
        let raw = await Self.inspect(try images.raw("a.raw"))
        #expect(try raw.get().format == "raw")
        let qcow2 = await Self.inspect(try await images.qcow2("a.qcow2", size: "64M"), declared: "qcow2")
        #expect(try qcow2.get().format == "qcow2")
    }

    @Test("a backing file or an external data file in a qcow2 header is refused")
    func hostFiles() async throws {
        let images = try TestImages()
        defer { images.remove() }
        let backed = await Self.inspect(try await images.backed("backed.qcow2"))
        #expect(Self.message(backed) == "invalid: images with a backing file are not accepted")
        let external = await Self.inspect(try await images.externalData("external.qcow2"))
        #expect(Self.message(external) == "invalid: images with an external data file are not accepted")
        let declaredRaw = await Self.inspect(try await images.backed("again.qcow2", backing: "b2.raw"), declared: "raw")
        #expect(Self.message(declaredRaw).contains("declared 'raw'"), "a qcow2 never passes as raw")
    }

    @Test("qemu-img's own report is checked too: backing file, data file, format and virtual size")
    func report() throws {
        let base = #"{"format": "qcow2", "virtual-size": 1048576"#
        #expect(throws: Never.self) { try ImageInspector.checkReport(base + "}", format: "qcow2") }
        for (json, text) in [
            (base + #", "backing-filename": "/etc/shadow"}"#, "backing file"),
            (base + #", "full-backing-filename": "/etc/shadow"}"#, "backing file"),
            (base + #", "format-specific": {"type": "qcow2", "data": {"data-file": "/dev/sda"}}}"#, "data file"),
            (#"{"format": "vmdk", "virtual-size": 1048576}"#, "not qcow2"),
            (#"{"format": "qcow2", "virtual-size": 1099511627776000}"#, "virtual size"),
            (#"{"format": "qcow2"}"#, "no virtual size"),
        ] {
            let error = #expect(throws: SpecError.self) { try ImageInspector.checkReport(json, format: "qcow2") }
            #expect(error?.message.contains(text) == true, "\(json): \(String(describing: error))")
        }
    }

    @Test("format mismatches, bad headers and sizes outside the disk limits are refused")
    func malformed() async throws {
        let images = try TestImages()
        defer { images.remove() }
        let qcow2 = try await images.qcow2("b.qcow2")
        #expect(Self.message(await Self.inspect(qcow2, declared: "raw")).contains("declared 'raw'"))
        #expect(Self.message(await Self.inspect(try images.raw("c.raw"), declared: "qcow2")).contains("declared"))
        #expect(
            Self.message(await Self.inspect(try images.raw("d.raw"), declared: "vmdk")).contains("'raw' or 'qcow2'"))
        let huge = await Self.inspect(try await images.qcow2("huge.qcow2", size: "100T"))
        #expect(Self.message(huge).contains("virtual size"), "\(Self.message(huge))")
        let tiny = await Self.inspect(try images.raw("tiny.raw", bytes: 4096))
        #expect(Self.message(tiny).contains("virtual size"), "\(Self.message(tiny))")
        let garbage = images.path("garbage.qcow2")
        try Data([0x51, 0x46, 0x49, 0xFB] + [UInt8](repeating: 0, count: 1 << 20)).write(
            to: URL(fileURLWithPath: garbage))
        let broken = Self.message(await Self.inspect(garbage))
        #expect(broken.hasPrefix("invalid"), "\(broken)")
        #expect(
            Self.message(await Self.inspect(try images.raw("empty.raw", bytes: 0))) == "invalid: the image is empty")
    }
}
