import Fetch
import Foundation
import NIOCore
import Spec

#if canImport(Glibc)
    import Glibc
#endif

/// Where an import reads its image from, checked against ``ImageImportSettings``:
///
/// - `file://PATH`: only inside the configured import directory, compared component by
///   component after every symlink is resolved, and only a regular file (so `/dev/zero`, FIFOs
///   and directories are refused) no larger than the byte cap; read in chunks.
/// - `http(s)://`: through ``ImageDownloader`` (allowed hosts, vetted and pinned addresses,
///   redirects re-checked, byte cap and deadline while streaming).
public struct ImageSource: Sendable {
    enum Kind: Sendable {
        case file(String)
        case http(String)
    }

    let kind: Kind
    let settings: ImageImportSettings

    /// Parses `url` and checks it without reading it; throws `invalid` with the reason a source is refused.
    public static func vetted(_ url: String, settings: ImageImportSettings) async throws -> ImageSource {
        if try scheme(of: url) == "file" {
            return ImageSource(kind: .file(try await resolveFile(url, settings: settings)), settings: settings)
        }
        try await ImageDownloader.vet(url, policy: settings.fetch)
        return ImageSource(kind: .http(url), settings: settings)
    }

    /// The URL's scheme (`file`, `http` or `https`), or `invalid` for any other.
    public static func scheme(of url: String) throws -> String {
        guard let colon = url.firstIndex(of: ":") else { throw SpecError.invalid("'\(url)' is not a valid URL") }
        let scheme = url[..<colon].lowercased()
        guard ["file", "http", "https"].contains(scheme) else {
            throw SpecError.invalid("url scheme must be file, http or https, not '\(scheme)'")
        }
        return scheme
    }

    /// Describes the source for progress messages (no credentials).
    public var summary: String {
        switch kind {
        case .file(let path): "file://\(path)"
        case .http(let url): (URL(string: url)?.host).map { "http(s) from \($0)" } ?? "http(s)"
        }
    }

    /// Reads the image into `spool` (which is finished afterwards); returns the byte count.
    public func read(into spool: ImageSpool) async throws -> Int {
        switch kind {
        case .http(let url):
            try await spool.finish()
            let download = try await ImageDownloader.download(url, policy: settings.fetch, to: spool.path)
            return download.byteCount
        case .file(let path):
            try await copy(path, into: spool)
            return try await spool.finish()
        }
    }

    /// The real path of a `file://` URL, or `invalid`/`notFound` with the reason.
    static func resolveFile(_ url: String, settings: ImageImportSettings) async throws -> String {
        guard let parsed = URL(string: url), parsed.isFileURL, !parsed.path.isEmpty else {
            throw SpecError.invalid("'\(url)' is not a valid file url")
        }
        guard parsed.host.map({ $0.isEmpty || $0 == "localhost" }) ?? true else {
            throw SpecError.invalid("file urls must name a local path, not host '\(parsed.host ?? "")'")
        }
        guard let directory = settings.directory else {
            throw SpecError.invalid(
                "file:// imports are disabled: the gateway has no import directory (imports.directory)")
        }
        let requested = parsed.path
        let (root, real, mode, size) = try await ImageSpool.blocking { () -> (String?, String?, UInt32, Int) in
            var info = stat()
            guard let real = realPath(requested), lstat(real, &info) == 0 else {
                return (realPath(directory), nil, 0, 0)
            }
            return (realPath(directory), real, UInt32(info.st_mode), Int(info.st_size))
        }
        guard let root else { throw SpecError.unavailable("the import directory '\(directory)' does not exist") }
        guard let real else {
            // Only say "not found" for paths inside the directory, so nothing outside can be probed.
            if Self.isInside(components((requested as NSString).standardizingPath), components(root)) {
                throw SpecError.notFound("file '\(requested)' not found in the import directory")
            }
            throw SpecError.invalid("file '\(requested)' is outside the import directory")
        }
        guard Self.isInside(components(real), components(root)) else {
            throw SpecError.invalid("file '\(requested)' is outside the import directory")
        }
        guard mode & UInt32(S_IFMT) == UInt32(S_IFREG) else {
            throw SpecError.invalid("file '\(requested)' is not a regular file")
        }
        guard size <= settings.maxBytes else {
            throw SpecError.invalid("file '\(requested)' is larger than \(settings.maxBytes) bytes")
        }
        return real
    }

    /// True when `path` lies strictly below `root` (both as path components).
    static func isInside(_ path: [String], _ root: [String]) -> Bool {
        path.count > root.count && Array(path.prefix(root.count)) == root
    }

    private static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Copies a regular file into the spool in chunks; the file is opened without following a
    /// final symlink and without blocking (a FIFO swapped in is refused, never waited on).
    private func copy(_ path: String, into spool: ImageSpool) async throws {
        let (descriptor, error) = try await ImageSpool.blocking { () -> (Int32, Int32) in
            let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else { return (-1, errno) }
            var info = stat()
            guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                close(descriptor)
                return (-1, EINVAL)
            }
            return (descriptor, 0)
        }
        guard descriptor >= 0 else {
            throw SpecError.invalid("file '\(path)' cannot be read as a regular file (error \(error))")
        }
        defer { close(descriptor) }
        while true {
            let (chunk, failure): (ByteBuffer, Int32) = try await ImageSpool.blocking {
                var buffer = ByteBuffer()
                var failure: Int32 = 0
                buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: ImageSpool.batch) { bytes in
                    let count = Glibc.read(descriptor, bytes.baseAddress, bytes.count)
                    if count < 0 { failure = errno }
                    return max(0, count)
                }
                return (buffer, failure)
            }
            guard failure == 0 else { throw SpecError.unavailable("reading '\(path)' failed (error \(failure))") }
            guard chunk.readableBytes > 0 else { break }
            do { try await spool.append(chunk) } catch let limit as ImageSpool.LimitExceeded {
                throw SpecError.invalid("file '\(path)': \(limit)")
            }
        }
    }
}
