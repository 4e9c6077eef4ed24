internal import CCurl
import Foundation
import Spec

/// One HTTP exchange for a ``CurlHandle``.
struct CurlRequest: Sendable {
    /// `GET`, `POST`, `PATCH`, `DELETE`.
    var method: String
    /// Absolute URL.
    var url: String
    /// Request body (JSON or text), if any.
    var body: [UInt8]?
    /// A request body streamed from a local file instead (an image), read in chunks as libcurl
    /// sends it; such a request has no total time limit, only a stall limit.
    var upload: ImageFile?
    /// Extra header lines (`Name: value`).
    var headers: [String] = []
}

/// What came back.
struct CurlResponse: Sendable {
    /// HTTP status code.
    var status: Int
    /// The `Content-Type` header, if any.
    var contentType: String?
    /// The body bytes.
    var body: [UInt8]
}

/// Transport settings shared by every request of a client.
struct CurlSettings: Sendable {
    var connectTimeoutMilliseconds: Int
    var totalTimeoutMilliseconds: Int
    var caFile: String?
    var clientCertificate: String?
    var clientKey: String?
    var insecure: Bool
    var bearerToken: String?
    var username: String?
    var password: String?
}

/// Owns one libcurl easy handle. Kept and reused by one pool thread at a time, so libcurl's
/// connection cache of the handle keeps the upstream connection alive between requests.
///
/// `@unchecked Sendable`: the handle is only ever used by the thread that took it out of the
/// ``CurlClient``'s free list, and handed back afterwards.
final class CurlHandle: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer

    init() throws(SpecError) {
        CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else { throw SpecError.unavailable("libcurl could not create a handle") }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    /// Runs the request; blocks the calling thread until it completes or times out.
    func perform(_ request: CurlRequest, settings: CurlSettings) throws(SpecError) -> CurlResponse {
        curl_easy_reset(handle)
        let sink = ResponseSink()
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for line in request.headers + authorizationHeaders(settings) + ["Expect:"] {
            headerList = curl_slist_append(headerList, line)
        }

        set(CURLOPT_URL, request.url)
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_CONNECTTIMEOUT_MS, settings.connectTimeoutMilliseconds)
        set(CURLOPT_TIMEOUT_MS, settings.totalTimeoutMilliseconds)
        set(CURLOPT_TCP_KEEPALIVE, 1)
        set(CURLOPT_TCP_NODELAY, 1)
        if let ca = settings.caFile { set(CURLOPT_CAINFO, ca) }
        if let certificate = settings.clientCertificate { set(CURLOPT_SSLCERT, certificate) }
        if let key = settings.clientKey { set(CURLOPT_SSLKEY, key) }
        if settings.insecure {
            set(CURLOPT_SSL_VERIFYPEER, 0)
            set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let username = settings.username {
            _ = vmgate_curl_easy_use_basic_auth(handle)
            set(CURLOPT_USERNAME, username)
            set(CURLOPT_PASSWORD, settings.password ?? "")
        }
        switch request.method {
        case "GET": set(CURLOPT_HTTPGET, 1)
        case "POST": set(CURLOPT_POST, 1)
        default: set(CURLOPT_CUSTOMREQUEST, request.method)
        }
        var source: Unmanaged<FileSource>?
        defer { source?.release() }
        if let upload = request.upload {
            let file = try FileSource(path: upload.path)
            source = Unmanaged.passRetained(file)
            set(CURLOPT_POST, 1)
            if request.method != "POST" { set(CURLOPT_CUSTOMREQUEST, request.method) }
            _ = vmgate_curl_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(upload.byteCount))
            _ = vmgate_curl_easy_setopt_read(handle, CURLOPT_READFUNCTION, curlReadFile)
            _ = vmgate_curl_easy_setopt_pointer(handle, CURLOPT_READDATA, source?.toOpaque())
            set(CURLOPT_TIMEOUT_MS, 0)
            set(CURLOPT_LOW_SPEED_LIMIT, 1)
            set(CURLOPT_LOW_SPEED_TIME, max(30, settings.totalTimeoutMilliseconds / 1000))
        } else if let body = request.body ?? (request.method == "GET" ? nil : []) {
            _ = vmgate_curl_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            if body.isEmpty {
                set(CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { bytes in
                    _ = vmgate_curl_easy_setopt_pointer(
                        handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
            }
        }
        _ = vmgate_curl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        _ = vmgate_curl_easy_setopt_write(handle, CURLOPT_WRITEFUNCTION, curlCollect)
        _ = vmgate_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque())

        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            let text = curl_easy_strerror(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
            throw SpecError.unavailable(
                "upstream \(redact(request.url)) is unreachable", cause: "curl \(code.rawValue): \(text)")
        }
        var status = 0
        _ = vmgate_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var type: UnsafeMutablePointer<CChar>?
        _ = vmgate_curl_easy_getinfo_string(handle, CURLINFO_CONTENT_TYPE, &type)
        return CurlResponse(status: status, contentType: type.map { String(cString: $0) }, body: sink.bytes)
    }

    private func authorizationHeaders(_ settings: CurlSettings) -> [String] {
        settings.bearerToken.map { ["Authorization: Bearer \($0)"] } ?? []
    }

    private func set(_ option: CURLoption, _ value: Int) {
        _ = vmgate_curl_easy_setopt_long(handle, option, value)
    }

    private func set(_ option: CURLoption, _ value: String) {
        _ = vmgate_curl_easy_setopt_string(handle, option, value)
    }
}

/// Collects the body bytes libcurl hands to the write callback.
final class ResponseSink {
    var bytes: [UInt8] = []
}

/// `CURLOPT_WRITEFUNCTION`: appends to the ``ResponseSink`` passed as write data.
private let curlCollect: vmgate_curl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let length = size * count
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
    }
    return length
}

/// The file a request body is streamed from; read by libcurl's thread only.
final class FileSource {
    let descriptor: Int32

    init(path: String) throws(SpecError) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SpecError.unavailable("the gateway cannot read the image to send") }
    }

    deinit { close(descriptor) }
}

/// `CURLOPT_READFUNCTION`: the next chunk of the ``FileSource`` passed as read data.
private let curlReadFile: vmgate_curl_read_callback = { buffer, size, count, context in
    guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
    let source = Unmanaged<FileSource>.fromOpaque(context).takeUnretainedValue()
    while true {
        let result = read(source.descriptor, buffer, size * count)
        if result < 0, errno == EINTR { continue }
        return result < 0 ? Int(CURL_READFUNC_ABORT) : result
    }
}

/// `curl_global_init` exactly once per process, before the first handle.
enum CurlGlobal {
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        return true
    }()

    static func ensureInitialized() { _ = initialized }
}

/// `scheme://user:pass@host/...` → `scheme://user:***@host/...`.
func redact(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://") else { return url }
    let authorityEnd = url[schemeEnd.upperBound...].firstIndex(of: "/") ?? url.endIndex
    let authority = url[schemeEnd.upperBound..<authorityEnd]
    guard let at = authority.lastIndex(of: "@") else { return url }
    let userInfo = authority[..<at]
    let user = userInfo.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
    let masked = userInfo.contains(":") ? "\(user):***" : user
    return String(url[..<schemeEnd.upperBound]) + masked + String(url[at..<url.endIndex])
}
