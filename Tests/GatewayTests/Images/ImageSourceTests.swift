import Fetch
import Foundation
import GatewayCore
import GatewayTestSupport
import Spec
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `file://` imports read only regular files inside the configured import directory.
@Suite("Image sources: file://")
struct ImageSourceTests {
    static func settings(_ directory: String?, maxBytes: Int = 4 << 20) -> ImageImportSettings {
        ImageImportSettings(directory: directory, fetch: FetchPolicy(maxBytes: maxBytes))
    }

    /// The error `ImageSource.vetted` throws for `url`, nil when it accepts it.
    static func refusal(_ url: String, _ settings: ImageImportSettings) async -> SpecError? {
        do {
            _ = try await ImageSource.vetted(url, settings: settings)
            return nil
        } catch { return SpecError.wrap(error) }
    }

    @Test("outside the directory, special files, symlinks out, traversal and size are refused")
    func refusals() async throws {
        let images = try TestImages()
        defer { images.remove() }
        let root = images.directory.appendingPathComponent("imports")
        let sibling = images.directory.appendingPathComponent("imports-evil")
        for directory in [root, sibling] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        try Data(repeating: 1, count: 1 << 20).write(to: root.appendingPathComponent("ok.raw"))
        try Data(repeating: 1, count: 1 << 20).write(to: sibling.appendingPathComponent("x.raw"))
        try Data(repeating: 1, count: 5 << 20).write(to: root.appendingPathComponent("big.raw"))
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("hostname").path, withDestinationPath: "/etc/hostname")
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("zero").path, withDestinationPath: "/dev/zero")
        #expect(mkfifo(root.appendingPathComponent("fifo").path, 0o600) == 0)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("sub.raw"), withIntermediateDirectories: true)
        let settings = Self.settings(root.path)

        let cases: [(String, SpecError.Kind, String)] = [
            ("file:///etc/passwd", .invalid, "outside the import directory"),
            ("file:///dev/zero", .invalid, "outside the import directory"),
            ("file://\(root.path)/hostname", .invalid, "outside the import directory"),
            ("file://\(root.path)/zero", .invalid, "outside the import directory"),
            ("file://\(root.path)/../imports-evil/x.raw", .invalid, "outside the import directory"),
            ("file://\(sibling.path)/x.raw", .invalid, "outside the import directory"),
            ("file://\(root.path)/fifo", .invalid, "not a regular file"),
            ("file://\(root.path)/sub.raw", .invalid, "not a regular file"),
            ("file://\(root.path)/big.raw", .invalid, "larger than"),
            ("file://\(root.path)/missing.raw", .notFound, "not found"),
            ("file:///nonexistent/elsewhere.raw", .invalid, "outside the import directory"),
            ("file://otherhost/\(root.path)/ok.raw", .invalid, "local path"),
        ]
        for (url, kind, text) in cases {
            let error = try #require(await Self.refusal(url, settings), "\(url) must be refused")
            #expect(error.kind == kind, "\(url): \(error)")
            #expect(error.message.contains(text), "\(url): \(error)")
        }
        let devices = try #require(await Self.refusal("file:///dev/zero", Self.settings("/dev")))
        #expect(devices.message.contains("not a regular file"), "a device is never read, even inside the directory")
        let disabled = try #require(await Self.refusal("file://\(root.path)/ok.raw", Self.settings(nil)))
        #expect(disabled.message.contains("disabled"), "\(disabled)")
    }

    @Test("a regular file inside the directory is copied into the spool in chunks")
    func copies() async throws {
        let images = try TestImages()
        defer { images.remove() }
        let bytes = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 % 251) }
        try Data(bytes).write(to: images.directory.appendingPathComponent("disk.raw"))
        let source = try await ImageSource.vetted(
            "file://\(images.directory.path)/disk.raw", settings: Self.settings(images.directory.path))
        let spooled: (count: Int, data: Data, path: String) = try await ImageSpool.with(
            directory: nil, limit: 4 << 20
        ) { spool in
            let count = try await source.read(into: spool)
            return (count, try Data(contentsOf: URL(fileURLWithPath: spool.path)), spool.path)
        }
        #expect(spooled.count == bytes.count)
        #expect(spooled.data == Data(bytes))
        #expect(!FileManager.default.fileExists(atPath: spooled.path), "the spool file is removed afterwards")

        await #expect(throws: SpecError.self) {
            try await ImageSpool.with(directory: nil, limit: 1 << 20) { spool in
                _ = try await source.read(into: spool)
            }
        }
    }
}
