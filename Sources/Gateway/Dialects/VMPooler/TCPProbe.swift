#if canImport(Glibc)
    import Glibc
    private let systemConnect = Glibc.connect
#elseif canImport(Darwin)
    import Darwin
    private let systemConnect = Darwin.connect
#endif

/// Checks whether a TCP port accepts connections (the `tcp:<port>` readiness check).
enum TCPProbe {
    /// True when `host:port` (an IPv4 or IPv6 literal) accepts a connection within `timeout` seconds.
    static func isOpen(host: String, port: Int, timeout: Double) async -> Bool {
        await Task.detached { connect(host: host, port: port, timeoutMillis: Int32(timeout * 1000)) }.value
    }

    private static func connect(host: String, port: Int, timeoutMillis: Int32) -> Bool {
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else { return false }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        if systemConnect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&poller, 1, timeoutMillis) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return false }
        return error == 0
    }
}
