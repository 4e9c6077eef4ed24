import Foundation
public import Spec

#if canImport(Glibc)
    import Glibc
#endif

/// The one check every uploaded or imported image passes before it reaches a backend.
///
/// The format is decided by the gateway, not probed: `qcow2` when the file starts with the
/// qcow2 magic (`QFI\xfb`), otherwise `raw`; a format the client declared must agree. A qcow2
/// header naming a backing file or an external data file is refused from the header bytes
/// alone, before any program opens the image (either would hand a guest a file of the host
/// that opens the image). Then `qemu-img info -f FORMAT --output=json` (the format always
/// named, so qemu-img never probes) must agree: no `backing-filename`, no `data-file`, and a
/// virtual size within ``Limits/diskBytes``.
public enum ImageInspector {
    /// The qcow2 magic.
    static let qcow2Magic: [UInt8] = [0x51, 0x46, 0x49, 0xFB]
    /// qcow2 incompatible-feature bit of an external data file.
    static let externalDataFileBit: UInt64 = 1 << 2

    /// Inspects the local image at `path` (`byteCount` bytes) and returns it with its format, or
    /// throws `invalid` naming the reason it is refused. `declaredFormat` is what the client said
    /// (nil when it said nothing).
    public static func inspect(path: String, byteCount: Int, declaredFormat: String?) async throws -> ImageFile {
        guard byteCount > 0 else { throw SpecError.invalid("the image is empty") }
        guard path.hasPrefix("/"), !path.contains(":"), !path.contains(",") else {
            throw SpecError.unavailable("the gateway's spool path '\(path)' cannot be passed to qemu-img safely")
        }
        let header = try await readHeader(path)
        let format = header.starts(with: qcow2Magic) ? "qcow2" : "raw"
        if let declared = declaredFormat?.lowercased(), declared != format {
            guard ["raw", "qcow2"].contains(declared) else {
                throw SpecError.invalid("image format must be 'raw' or 'qcow2', not '\(declared)'")
            }
            throw SpecError.invalid("the image was declared '\(declared)' but its contents are \(format)")
        }
        if format == "qcow2" { try checkQcow2Header(header) }
        guard let tool = executable("qemu-img") else {
            throw SpecError.unsupported("qemu-img is not installed; the gateway cannot inspect images")
        }
        let outcome = try await ChildProcess.run(
            tool, ["info", "-f", format, "--output=json", path], timeout: .seconds(60))
        guard outcome.status == 0 else {
            throw SpecError.invalid("the image is not a valid \(format) image: \(outcome.errorOutput.prefix(300))")
        }
        try checkReport(outcome.output, format: format)
        return ImageFile(path: path, byteCount: byteCount, format: format)
    }

    /// Refuses a qcow2 header with a backing file or an external data file.
    static func checkQcow2Header(_ header: [UInt8]) throws {
        guard header.count >= 72 else { throw SpecError.invalid("the qcow2 header is truncated") }
        let version = bigEndian(header, at: 4, count: 4)
        guard version == 2 || version == 3 else { throw SpecError.invalid("qcow2 version \(version) is not accepted") }
        if bigEndian(header, at: 8, count: 8) != 0 {
            throw SpecError.invalid("images with a backing file are not accepted")
        }
        if version == 3 {
            guard header.count >= 80 else { throw SpecError.invalid("the qcow2 header is truncated") }
            if bigEndian(header, at: 72, count: 8) & externalDataFileBit != 0 {
                throw SpecError.invalid("images with an external data file are not accepted")
            }
        }
    }

    /// Refuses what `qemu-img info --output=json` reports as a backing file, an external data
    /// file, another format, or a virtual size outside the gateway's disk limits.
    static func checkReport(_ json: String, format: String) throws {
        guard let report = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw SpecError.invalid("qemu-img could not describe the image")
        }
        if report["backing-filename"] != nil || report["full-backing-filename"] != nil {
            throw SpecError.invalid("images with a backing file are not accepted")
        }
        let specific = (report["format-specific"] as? [String: Any])?["data"] as? [String: Any]
        if specific?["data-file"] != nil {
            throw SpecError.invalid("images with an external data file are not accepted")
        }
        guard report["format"] as? String == format else {
            throw SpecError.invalid("qemu-img reads the image as \(report["format"] ?? "unknown"), not \(format)")
        }
        guard let size = (report["virtual-size"] as? NSNumber)?.int64Value, let bytes = Int(exactly: size) else {
            throw SpecError.invalid("qemu-img reports no virtual size for the image")
        }
        try Limits.validate(diskBytes: bytes, what: "the image's virtual size")
    }

    /// The first 512 bytes of the file (fewer when it is shorter).
    static func readHeader(_ path: String) async throws -> [UInt8] {
        let (bytes, error): ([UInt8], Int32) = try await ImageSpool.blocking {
            let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { return ([], errno) }
            defer { close(descriptor) }
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            return count < 0 ? ([], errno) : (Array(buffer.prefix(count)), 0)
        }
        guard error == 0 else { throw SpecError.unavailable("the gateway cannot read the image (error \(error))") }
        return bytes
    }

    /// The program `name` on `PATH`, if any.
    public static func executable(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> UInt64 {
        bytes[offset..<offset + count].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
