import Foundation
import NIOPosix
import Spec

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fetches an image over http(s) into a local file under a ``FetchPolicy``.
///
/// The host is resolved by the gateway, every address is vetted, and libcurl is pinned to those
/// addresses, so a DNS answer that changes between the check and the connection (rebinding) is
/// never used. Redirects are not followed by libcurl: each target is parsed, vetted and pinned
/// the same way, up to ``FetchPolicy/maxRedirects``. The body streams to the file as it arrives
/// and the transfer is cut off at ``FetchPolicy/maxBytes``; one deadline covers every hop.
/// Blocking work runs on a small thread pool of this type, never on the caller's executor, and
/// a cancelled caller aborts the transfer.
public enum ImageDownloader {
    /// What was fetched.
    public struct Download: Sendable {
        /// Bytes written to the file.
        public var byteCount: Int
        /// The URL the body came from (after redirects), without user information.
        public var url: String
    }

    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    /// Checks `url` against `policy` without fetching it: scheme, host and every address the
    /// host resolves to. Throws `invalid` with the reason when it would be refused.
    public static func vet(_ url: String, policy: FetchPolicy) async throws {
        try await onPool {
            let parsed = try FetchURL(url)
            _ = try addresses(of: parsed, policy: policy)
        }
    }

    /// Fetches `url` into the existing file at `path` (truncated first).
    public static func download(_ url: String, policy: FetchPolicy, to path: String) async throws -> Download {
        let deadline = ContinuousClock.now + .milliseconds(Int(policy.timeoutSeconds * 1000))
        let cancel = CancelFlag()
        return try await withTaskCancellationHandler {
            try await onPool {
                let descriptor = open(path, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC)
                guard descriptor >= 0 else {
                    throw SpecError.unavailable("the gateway cannot open its spool file (error \(errno))")
                }
                defer { close(descriptor) }
                var current = url
                for _ in 0...policy.maxRedirects {
                    let parsed = try FetchURL(current)
                    let pinned = try addresses(of: parsed, policy: policy)
                    let remaining = deadline - ContinuousClock.now
                    guard remaining > .zero else {
                        throw SpecError.unavailable("fetching \(parsed.redacted) did not finish in time")
                    }
                    let (seconds, attoseconds) = remaining.components
                    let outcome = try CurlTransfer.get(
                        parsed, pinnedTo: pinned, writingTo: descriptor, maxBytes: policy.maxBytes,
                        timeoutMilliseconds: Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000),
                        cancelled: cancel)
                    switch outcome.status {
                    case 200..<300:
                        return Download(byteCount: outcome.bytes, url: parsed.redacted)
                    case 301, 302, 303, 307, 308:
                        guard let next = outcome.redirect else {
                            throw SpecError.invalid("\(parsed.redacted) redirects without a location")
                        }
                        current = next
                    default:
                        throw SpecError.invalid("fetching \(parsed.redacted) answered HTTP \(outcome.status)")
                    }
                }
                throw SpecError.invalid(
                    "fetching \((try? FetchURL(url))?.redacted ?? "the image") took more than \(policy.maxRedirects) redirects"
                )
            }
        } onCancel: {
            cancel.set()
        }
    }

    /// The addresses of the URL's host, each vetted; throws `invalid` naming the first refused one.
    private static func addresses(of url: FetchURL, policy: FetchPolicy) throws(SpecError) -> [IPAddress] {
        try policy.checkHost(url.host)
        let addresses = try HostResolver.addresses(of: url.host)
        for address in addresses {
            if let reason = policy.refusal(of: address) {
                throw SpecError.invalid(
                    "images are not imported from \(url.redacted): \(reason), which the gateway does not contact")
            }
        }
        return addresses
    }

    private static func onPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do { return try await pool.runIfActive(body) } catch let error as SpecError { throw error } catch {
            throw SpecError.unavailable("the image downloader is not running", cause: String(describing: error))
        }
    }
}
