import Foundation
import Spec
import Store

/// A fresh directory under the system temp dir, removed by ``remove()``.
struct TempDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("vmgate-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A database path inside the directory (in a subfolder that does not exist yet).
    var databasePath: String { url.appendingPathComponent("state/db/gateway.sqlite").path }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// An instant with an exact binary representation in seconds since 1970.
func instant(_ seconds: Double) -> Date {
    Date(timeIntervalSince1970: 1_700_000_000 + seconds)
}
