import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a store file (`<store>.lock`, `flock`), held for a gateway's life, so a
/// second gateway on the same SQLite store refuses to start instead of handing out the same
/// machines. The kernel drops the lock when the process dies.
final class InstanceLock: Sendable {
    private let descriptor: Mutex<Int32>
    /// The lock file.
    let path: String

    /// Takes the lock of the store at `storePath`; fails naming the file when another gateway holds it.
    init(storePath: String) throws {
        path = storePath + ".lock"
        let directory = (storePath as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ConfigurationLoader.Failure(description: "store: cannot open lock file '\(path)' (errno \(errno))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw ConfigurationLoader.Failure(
                description:
                    "store: another vmgate is already running on '\(storePath)' (it holds '\(path)'); one SQLite store serves one gateway"
            )
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        descriptor = Mutex(fd)
    }

    /// Releases the lock (also done when the lock is deinitialized).
    func release() {
        descriptor.withLock { fd in
            if fd >= 0 {
                close(fd)
                fd = -1
            }
        }
    }

    deinit { release() }
}
