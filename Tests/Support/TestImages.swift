public import Foundation
import GatewayCore

/// Disk images for upload and import tests, made in a private temporary directory with
/// `qemu-img` (qemu-utils). Call ``remove()`` when done.
public struct TestImages: Sendable {
    /// The directory holding the images.
    public let directory: URL

    /// Creates an empty directory for images.
    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vmgate-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Deletes the directory and everything in it.
    public func remove() { try? FileManager.default.removeItem(at: directory) }

    /// The path of `name` in the directory.
    public func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A raw image of `bytes` bytes, each byte `fill` (default 1 MiB of 0xAB).
    @discardableResult
    public func raw(_ name: String, bytes: Int = 1 << 20, fill: UInt8 = 0xAB) throws -> String {
        try Data(repeating: fill, count: bytes).write(to: directory.appendingPathComponent(name))
        return path(name)
    }

    /// A plain qcow2 image of virtual size `size` (a `qemu-img` size, `1M`, `100T`).
    @discardableResult
    public func qcow2(_ name: String, size: String = "1M") async throws -> String {
        try await qemuImg(["create", "-q", "-f", "qcow2", path(name), size])
        return path(name)
    }

    /// A qcow2 image whose backing file is `backing` (a raw file it creates, 1 MiB).
    @discardableResult
    public func backed(_ name: String, backing: String = "backing.raw") async throws -> String {
        try raw(backing, fill: 0x42)
        try await qemuImg(["create", "-q", "-f", "qcow2", "-b", path(backing), "-F", "raw", path(name)])
        return path(name)
    }

    /// A qcow2 image whose data lives in the external data file `data` (1 MiB).
    @discardableResult
    public func externalData(_ name: String, data: String = "external.raw") async throws -> String {
        try await qemuImg(["create", "-q", "-f", "qcow2", "-o", "data_file=\(path(data))", path(name), "1M"])
        return path(name)
    }

    private func qemuImg(_ arguments: [String]) async throws {
        let outcome = try await ChildProcess.run("/usr/bin/qemu-img", arguments)
        guard outcome.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: outcome.errorOutput])
        }
    }
}
