import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Prometheus
import Synchronization

/// `/` (index of mounted dialects), `/healthz`, `/metrics`, and the benchmark's constant route.
struct RootRoutes: Sendable {
    let fleet: Fleet
    let mounts: [MountedDialect]
    let prometheus: PrometheusCollectorRegistry
    let benchmark: Bool

    struct Index: Encodable {
        struct Entry: Encodable {
            var name: String
            var prefix: String
            var port: Int?
        }
        var service = "vmgate"
        var version = GatewayVersion.current
        var dialects: [Entry]
        var backends: [String]
        var health = "/healthz"
        var metrics = "/metrics"
    }

    struct Health: Encodable {
        struct Entry: Encodable {
            var name: String
            var healthy: Bool
            var lastError: String?
        }
        var status: String
        var backends: [Entry]
    }

    func register(on router: Router<GatewayContext>) {
        let index = Index(
            dialects: mounts.map { .init(name: $0.name, prefix: $0.prefix.isEmpty ? "/" : $0.prefix, port: $0.port) },
            backends: fleet.backends.names)
        router.get("/") { _, _ in try JSONWire.response(index) }
        router.get("/healthz") { _, _ in
            var entries: [Health.Entry] = []
            for backend in fleet.backends.all {
                let health = await fleet.health(of: backend)
                entries.append(.init(name: backend.name, healthy: health.healthy, lastError: health.lastError))
            }
            let status = entries.allSatisfy(\.healthy) ? "ok" : "degraded"
            return try JSONWire.response(Health(status: status, backends: entries))
        }
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            prometheus.emit(into: &buffer)
            return JSONWire.bytes(buffer, contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        if benchmark { registerBenchmark(on: router) }
    }

    /// `GET /_bench/constant?bytes=N`: N bytes of constant JSON, built once per size, so the
    /// benchmark can compare a real route with pure server overhead at the same body size.
    private func registerBenchmark(on router: Router<GatewayContext>) {
        let cache = Mutex<[Int: [UInt8]]>([:])
        router.get("/_bench/constant") { request, _ in
            let size = min(max(request.uri.queryParameters["bytes"].flatMap { Int($0) } ?? 64, 16), 16 << 20)
            let body = cache.withLock { cache in
                if let body = cache[size] { return body }
                let body = Array("[\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: size - 4) + Array("\"]".utf8)
                cache[size] = body
                return body
            }
            return JSONWire.bytes(body)
        }
    }
}

/// The gateway's version.
public enum GatewayVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
