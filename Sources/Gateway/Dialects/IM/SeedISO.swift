import Foundation
import GatewayCore
import Spec

/// NoCloud seed images made with `genisoimage` (or `mkisofs`/`xorriso`) in a temporary
/// directory of the gateway; they reach a volume through the backend (``Backend/uploadVolume(named:inPool:from:)``
/// or ``Backend/writeVolume(named:inPool:from:)``), never by writing the volume's host path,
/// which may be on another host.
enum SeedISO {
    /// Builds an ISO9660 image labelled `cidata` holding `user-data` and `meta-data`, runs `body`
    /// with it (a raw image file) and removes it afterwards.
    static func withImage<T: Sendable>(
        userData: String, metaData: String, _ body: (ImageFile) async throws -> T
    ) async throws -> T {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("vmgate-seed-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        try Data(userData.utf8).write(to: dir.appendingPathComponent("user-data"))
        try Data(metaData.utf8).write(to: dir.appendingPathComponent("meta-data"))
        let output = dir.appendingPathComponent("seed.iso")
        guard let tool = ["genisoimage", "mkisofs", "xorrisofs"].lazy.compactMap(ImageInspector.executable).first else {
            throw SpecError.unsupported("no ISO tool (genisoimage, mkisofs or xorrisofs) is installed")
        }
        let outcome = try await ChildProcess.run(
            tool,
            [
                "-output", output.path, "-volid", "cidata", "-joliet", "-rock", "-quiet",
                dir.appendingPathComponent("user-data").path, dir.appendingPathComponent("meta-data").path,
            ])
        guard outcome.status == 0 else {
            throw SpecError.unavailable(
                "the seed ISO could not be built",
                cause: "\(tool) status \(outcome.status): \(outcome.errorOutput.prefix(300))")
        }
        // Padded with zeros to whole MiB (ISO 9660 ignores what follows the volume), the size of
        // the smallest disk the gateway accepts, so that a proxy's upstream takes the seed too.
        let size = try fm.attributesOfItem(atPath: output.path)[.size] as? Int ?? 0
        let padded = max(1 << 20, (size + (1 << 20) - 1) / (1 << 20) * (1 << 20))
        let handle = try FileHandle(forWritingTo: output)
        try handle.truncate(atOffset: UInt64(padded))
        try handle.close()
        return try await body(ImageFile(path: output.path, byteCount: padded, format: "raw"))
    }
}
