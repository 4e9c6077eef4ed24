import GatewayCore
import Spec

/// Imports a storage volume from a `url`: `file://` from the gateway's import directory, or
/// `http(s)://` from an allowed, public host (see ``ImageSource`` and the `imports`
/// configuration). The source is vetted before the task starts (a refused source is a 400);
/// the image is spooled, inspected and uploaded by ``Fleet/importImage(_:named:inPool:backend:progress:)``.
struct CometVolumeImport: Sendable {
    let source: ImageSource

    /// Checks `url` against the fleet's import settings.
    init(url: String, fleet: Fleet) async throws {
        guard !url.isEmpty else { throw SpecError.invalid("url must not be empty") }
        source = try await ImageSource.vetted(url, settings: fleet.imports)
    }

    /// Fetches the image and uploads it as volume `name`; returns the task's final message.
    func run(
        name: String, pool: String, backend: any Backend, fleet: Fleet, progress: TaskRunner.Progress
    ) async throws -> String {
        let (volume, image) = try await fleet.importImage(
            source, named: name, inPool: pool, backend: backend, progress: progress)
        return "storage volume '\(volume.name)' imported (\(image.byteCount) bytes, \(image.format))"
    }
}
