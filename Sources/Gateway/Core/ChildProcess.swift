public import Foundation

/// Runs helper programs (genisoimage, qemu-img) without blocking a thread of Swift's
/// cooperative pool: `Process.waitUntilExit()` there can stall every async task of the
/// process on a 2-core machine.
public enum ChildProcess {
    /// What a finished program left behind.
    public struct Outcome: Sendable {
        /// Exit status.
        public var status: Int32
        /// What it wrote to standard error (first 64 KiB).
        public var errorOutput: String
    }

    /// Runs `executable` with `arguments` and waits for it to exit.
    public static func run(_ executable: String, _ arguments: [String], directory: URL? = nil) async throws -> Outcome {
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("vmgate-\(UUID().uuidString).err")
        guard FileManager.default.createFile(atPath: errors.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? FileManager.default.removeItem(at: errors) }
        let handle = try FileHandle(forWritingTo: errors)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let output = (try? Data(contentsOf: errors)).map { String(decoding: $0.prefix(65_536), as: UTF8.self) } ?? ""
        return Outcome(status: status, errorOutput: output)
    }

    /// Waits, without blocking a thread, until a started process has exited.
    public static func waitForExit(_ process: Process, pollEvery interval: Duration = .milliseconds(10)) async {
        while process.isRunning { try? await Task.sleep(for: interval) }
    }
}
