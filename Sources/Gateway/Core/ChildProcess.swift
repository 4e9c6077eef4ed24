public import Foundation
import Spec
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Runs helper programs (genisoimage, qemu-img) with swift-subprocess: the exit is awaited
/// through the process's pidfd on swift-subprocess's monitor thread, so no thread of Swift's
/// cooperative pool blocks or polls while a program runs. A cancelled caller (or a run past its
/// time limit) kills the program.
public enum ChildProcess {
    /// What a finished program left behind.
    public struct Outcome: Sendable {
        /// Exit status (128 + the signal number when a signal ended it).
        public var status: Int32
        /// What it wrote to standard output.
        public var output: String
        /// What it wrote to standard error.
        public var errorOutput: String
    }

    /// Runs `executable` with `arguments` and waits for it to exit. Output past `outputLimit`
    /// bytes, a start failure, or a run longer than `timeout` throw `unavailable`.
    public static func run(
        _ executable: String, _ arguments: [String], directory: URL? = nil, timeout: Duration = .seconds(300),
        outputLimit: Int = 1 << 20
    ) async throws -> Outcome {
        let name = (executable as NSString).lastPathComponent
        let result = try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                let result = try await Subprocess.run(
                    .path(FilePath(executable)), arguments: Arguments(arguments),
                    workingDirectory: directory.map { FilePath($0.path) }, input: .none,
                    output: .string(limit: outputLimit), error: .string(limit: outputLimit))
                return Outcome(
                    status: Self.code(result.terminationStatus), output: result.standardOutput,
                    errorOutput: result.standardError)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let result else { throw SpecError.unavailable("\(name) did not finish within \(timeout)") }
        return result
    }

    /// A long-running program started with ``start(_:_:directory:)``.
    public final class Running: Sendable {
        /// Its process id.
        public let processIdentifier: Int32
        private let exit: Task<Int32?, Never>

        init(processIdentifier: Int32, exit: Task<Int32?, Never>) {
            self.processIdentifier = processIdentifier
            self.exit = exit
        }

        /// Waits, without blocking a thread, until the program has exited; its exit status (nil
        /// when swift-subprocess could not follow it).
        @discardableResult
        public func waitForExit() async -> Int32? { await exit.value }
    }

    /// Starts `executable` in the background (standard streams discarded) and returns once it runs.
    public static func start(_ executable: String, _ arguments: [String], directory: URL? = nil) async throws
        -> Running
    {
        let (started, continuation) = AsyncStream<Result<Int32, any Error>>.makeStream()
        let exit = Task<Int32?, Never> {
            do {
                let result = try await Subprocess.run(
                    .path(FilePath(executable)), arguments: Arguments(arguments),
                    workingDirectory: directory.map { FilePath($0.path) }, input: .none, output: .discarded,
                    error: .discarded
                ) { execution in
                    continuation.yield(.success(execution.processIdentifier.value))
                }
                continuation.finish()
                return Self.code(result.terminationStatus)
            } catch {
                continuation.yield(.failure(error))
                continuation.finish()
                return nil
            }
        }
        var iterator = started.makeAsyncIterator()
        guard let first = await iterator.next() else { throw SpecError.unavailable("\(executable) did not start") }
        return Running(processIdentifier: try first.get(), exit: exit)
    }

    private static func code(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let code): Int32(code)
        case .signaled(let signal): 128 + Int32(signal)
        }
    }
}
