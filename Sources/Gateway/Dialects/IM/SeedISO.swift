import Foundation
import GatewayCore
import Spec

/// NoCloud seed images made with `genisoimage` (or `mkisofs`/`xorriso`).
enum SeedISO {
    /// An ISO9660 image labelled `cidata` holding `user-data` and `meta-data`.
    static func make(userData: String, metaData: String) async throws -> Data {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("vmgate-seed-\(UUID().uuidString)")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        try Data(userData.utf8).write(to: dir.appendingPathComponent("user-data"))
        try Data(metaData.utf8).write(to: dir.appendingPathComponent("meta-data"))
        let output = dir.appendingPathComponent("seed.iso")
        guard let tool = ["genisoimage", "mkisofs", "xorrisofs"].lazy.compactMap(executable).first else {
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
        return try Data(contentsOf: output)
    }

    static func executable(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Writes the image over a local volume file; false when the path is not local/writable.
    static func write(_ iso: Data, to path: String) -> Bool {
        guard FileManager.default.isWritableFile(atPath: path), let handle = FileHandle(forWritingAtPath: path) else {
            return false
        }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: iso)
            return true
        } catch {
            return false
        }
    }
}
