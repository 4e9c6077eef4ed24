internal import CCurl
import Spec
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One GET over libcurl on a fresh easy handle: connected only to the vetted `addresses`
/// (`CURLOPT_RESOLVE`), no proxy, no redirects followed, http(s) only, a 2xx body written to a
/// file descriptor as it arrives and cut off past the byte cap. Blocking: run it on a pool thread.
enum CurlTransfer {
    /// What one request came back with.
    struct Outcome {
        /// HTTP status.
        var status: Int
        /// The absolute target of a redirect, as libcurl resolved it.
        var redirect: String?
        /// Body bytes written (2xx only).
        var bytes: Int
    }

    /// Performs the request; `cancelled` aborts it from another thread.
    static func get(
        _ url: FetchURL, pinnedTo addresses: [IPAddress], writingTo descriptor: Int32, maxBytes: Int,
        timeoutMilliseconds: Int, cancelled: CancelFlag
    ) throws(SpecError) -> Outcome {
        CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else { throw SpecError.unavailable("libcurl could not create a handle") }
        defer { curl_easy_cleanup(handle) }
        let sink = TransferSink(handle: handle, descriptor: descriptor, maxBytes: maxBytes, cancelled: cancelled)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        var resolve: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(resolve) }
        if IPAddress(url.host) == nil {
            let pinned = addresses.map { $0.isIPv4 ? $0.description : "[\($0)]" }.joined(separator: ",")
            resolve = curl_slist_append(nil, "\(url.host):\(url.port):\(pinned)")
            _ = vmgate_curl_easy_setopt_slist(handle, CURLOPT_RESOLVE, resolve)
        }
        _ = vmgate_curl_easy_setopt_pointer(handle, CURLOPT_CURLU, UnsafeMutableRawPointer(url.handle))
        _ = vmgate_curl_easy_setopt_long(handle, CURLOPT_HTTPGET, 1)
        _ = vmgate_curl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        _ = vmgate_curl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = vmgate_curl_easy_setopt_string(handle, CURLOPT_PROXY, "")
        _ = vmgate_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = vmgate_curl_easy_setopt_long(handle, CURLOPT_FORBID_REUSE, 1)
        _ = vmgate_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, timeoutMilliseconds))
        _ = vmgate_curl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, min(timeoutMilliseconds, 15_000)))
        _ = vmgate_curl_easy_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBytes))
        _ = vmgate_curl_easy_setopt_write(handle, CURLOPT_WRITEFUNCTION, writeBody)
        _ = vmgate_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque())
        _ = vmgate_curl_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        _ = vmgate_curl_easy_setopt_xferinfo(handle, checkCancelled)
        _ = vmgate_curl_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, context.toOpaque())

        let code = curl_easy_perform(handle)
        if sink.exceeded || code == CURLE_FILESIZE_EXCEEDED {
            throw SpecError.invalid("the image at \(url.redacted) is larger than \(maxBytes) bytes")
        }
        if let failure = sink.failure { throw failure }
        switch code {
        case CURLE_OK: break
        case CURLE_ABORTED_BY_CALLBACK: throw SpecError.unavailable("fetching \(url.redacted) was cancelled")
        case CURLE_OPERATION_TIMEDOUT:
            throw SpecError.unavailable("fetching \(url.redacted) did not finish in time")
        default:
            let text = curl_easy_strerror(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
            throw SpecError.unavailable("fetching \(url.redacted) failed: \(text)", cause: "curl \(code.rawValue)")
        }
        var status = 0
        _ = vmgate_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var location: UnsafeMutablePointer<CChar>?
        _ = vmgate_curl_easy_getinfo_string(handle, CURLINFO_REDIRECT_URL, &location)
        return Outcome(status: status, redirect: location.map { String(cString: $0) }, bytes: sink.written)
    }
}

/// The state the callbacks of one transfer share; used by the transfer's thread only.
private final class TransferSink {
    let handle: UnsafeMutableRawPointer
    let descriptor: Int32
    let maxBytes: Int
    let cancelled: CancelFlag
    var written = 0
    var exceeded = false
    var failure: SpecError?

    init(handle: UnsafeMutableRawPointer, descriptor: Int32, maxBytes: Int, cancelled: CancelFlag) {
        self.handle = handle
        self.descriptor = descriptor
        self.maxBytes = maxBytes
        self.cancelled = cancelled
    }

    var isSuccess: Bool {
        var status = 0
        _ = vmgate_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return (200..<300).contains(status)
    }

    /// Writes all of `bytes` to the descriptor; false on an I/O error.
    func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let result = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if result < 0, errno == EINTR { continue }
            guard result > 0 else {
                failure = SpecError.unavailable("the gateway cannot spool the image: error \(errno)")
                return false
            }
            offset += result
        }
        return true
    }
}

/// `CURLOPT_WRITEFUNCTION`: a 2xx body goes to the descriptor (until the cap), any other body
/// (a redirect's or an error page) is dropped.
private let writeBody: vmgate_curl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let length = size * count
    let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
    guard sink.isSuccess else { return length }
    guard sink.written + length <= sink.maxBytes else {
        sink.exceeded = true
        return 0
    }
    guard sink.append(UnsafeRawBufferPointer(start: data, count: length)) else { return 0 }
    sink.written += length
    return length
}

/// `CURLOPT_XFERINFOFUNCTION`: aborts the transfer once the caller's task is cancelled.
private let checkCancelled: vmgate_curl_xferinfo_callback = { context, _, _, _, _ in
    guard let context else { return 0 }
    let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
    return sink.cancelled.isSet ? 1 : 0
}

/// Set from a task's cancellation handler, read by the transfer's progress callback.
final class CancelFlag: Sendable {
    private let value = Atomic(false)

    /// Whether the transfer should stop.
    var isSet: Bool { value.load(ordering: .relaxed) }

    /// Asks the transfer to stop.
    func set() { value.store(true, ordering: .relaxed) }
}

/// `curl_global_init` exactly once per process, before the first handle of this module (the
/// proxy backend's module keeps its own guard; libcurl counts the calls).
enum CurlGlobal {
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        return true
    }()

    static func ensureInitialized() { _ = initialized }
}
