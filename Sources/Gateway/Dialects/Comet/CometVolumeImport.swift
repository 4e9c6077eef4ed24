import Foundation
import GatewayCore
import Spec

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Imports a storage volume from a `url`: `file://` (a path the gateway can read — the backend
/// host itself when gateway and libvirt share the machine) or `http(s)://` (fetched by the
/// gateway), then uploaded to the backend. qcow2 images are recognized by their magic bytes.
struct CometVolumeImport: Sendable {
    /// Largest image imported, in bytes.
    static let maxBytes = 1 << 30

    let url: URL

    init(url raw: String) throws {
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased() else {
            throw SpecError.invalid("url '\(raw)' is not a valid URL")
        }
        guard ["file", "http", "https"].contains(scheme) else {
            throw SpecError.invalid("url scheme must be file, http or https, not '\(scheme)'")
        }
        if scheme == "file", url.path.isEmpty { throw SpecError.invalid("file url '\(raw)' names no path") }
        if scheme != "file", (url.host ?? "").isEmpty { throw SpecError.invalid("url '\(raw)' names no host") }
        self.url = url
    }

    /// Fetches the image and uploads it as volume `name`; returns the task's final message.
    func run(
        name: String, pool: String, backend: any Backend, fleet: Fleet, progress: TaskRunner.Progress
    ) async throws -> String {
        await progress.update(5, "fetching \(url.absoluteString)")
        let data = try await fetch()
        await progress.update(50, "uploading \(data.count) bytes")
        let format = data.starts(with: [0x51, 0x46, 0x49, 0xFB]) ? "qcow2" : "raw"
        let volume = try await fleet.call(backend, "uploadVolume") {
            try await $0.uploadVolume(named: name, format: format, inPool: pool, data: data)
        }
        try await fleet.recordVolume(volume)
        return "storage volume '\(volume.name)' imported (\(data.count) bytes, \(format))"
    }

    private func fetch() async throws -> [UInt8] {
        if url.isFileURL {
            let path = url.path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let size = attributes[.size] as? Int
            else { throw SpecError.notFound("file '\(path)' not found") }
            guard size <= Self.maxBytes else { throw SpecError.invalid("file '\(path)' is larger than 1 GiB") }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SpecError.invalid("file '\(path)' cannot be read")
            }
            return [UInt8](data)
        }
        let (data, response) = try await URLSession.shared.data(from: url)
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            throw SpecError.invalid("fetching \(url.absoluteString) answered HTTP \(http.statusCode)")
        }
        guard data.count <= Self.maxBytes else { throw SpecError.invalid("the image is larger than 1 GiB") }
        return [UInt8](data)
    }
}
