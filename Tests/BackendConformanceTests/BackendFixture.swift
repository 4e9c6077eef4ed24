import Foundation
import Gateway
import GatewayTestSupport
import Libvirt
import Logging
import Proxy
import Spec

/// A backend under test plus what the suite needs to know about its host.
struct BackendFixture: Sendable, CustomStringConvertible {
    /// Fixture name shown in test output.
    let name: String
    /// Pool holding the base image.
    let pool: String
    /// Base image cloned as an overlay.
    let base: String
    /// Network for NICs, or nil to create machines without NICs.
    let network: String?
    /// Opens a connected backend.
    let open: @Sendable () async throws -> any Backend
    /// Closes a backend from ``open``.
    let close: @Sendable (any Backend) async -> Void
    /// Reads a machine again bypassing `backend`'s cache (a fresh connection where the host state is shared).
    let reread: @Sendable (any Backend, String) async throws -> Machine

    var description: String { name }

    /// Every fixture enabled in this environment.
    static var all: [BackendFixture] {
        var fixtures = [testDriver, proxy]
        if let qemu = qemu { fixtures.append(qemu) }
        if let proxyQEMU = proxyQEMU { fixtures.append(proxyQEMU) }
        return fixtures
    }

    static let logger = Logger(label: "conformance")

    /// libvirt's Test driver with private state loaded from Fixtures/node.xml for every backend.
    static let testDriver = BackendFixture(
        name: "libvirt-test", pool: "vmgate", base: "base.qcow2", network: "default",
        open: {
            guard let url = Bundle.module.url(forResource: "node", withExtension: "xml", subdirectory: "Fixtures")
            else {
                throw SpecError.unavailable("Fixtures/node.xml missing from the test bundle")
            }
            let backend = LibvirtBackend(
                name: "test", configuration: LibvirtConfiguration(uri: "test://\(url.path)", threads: 2), logger: logger
            )
            try await backend.connect()
            return backend
        },
        close: { await ($0 as? LibvirtBackend)?.close() },
        reread: { backend, name in
            // Each test:///file connection has private state, so re-read through a forced full reload.
            guard let libvirt = backend as? LibvirtBackend else { throw SpecError.unsupported("not libvirt") }
            try await libvirt.reload()
            return try await libvirt.machine(named: name)
        })

    /// A real QEMU host, enabled by VMGATE_QEMU_URI.
    static var qemu: BackendFixture? {
        let env = ProcessInfo.processInfo.environment
        guard let uri = env["VMGATE_QEMU_URI"], !uri.isEmpty else { return nil }
        let pool = env["VMGATE_QEMU_POOL"] ?? "vmgate"
        let open: @Sendable () async throws -> any Backend = {
            let backend = LibvirtBackend(
                name: "qemu", configuration: LibvirtConfiguration(uri: uri, threads: 4, defaultPool: pool),
                logger: logger)
            try await backend.connect()
            return backend
        }
        return BackendFixture(
            name: "libvirt-qemu", pool: pool, base: env["VMGATE_QEMU_BASE"] ?? "base.qcow2", network: nil, open: open,
            close: { await ($0 as? LibvirtBackend)?.close() },
            reread: { _, name in
                let fresh = try await open()
                do {
                    let machine = try await fresh.machine(named: name)
                    await (fresh as? LibvirtBackend)?.close()
                    return machine
                } catch {
                    await (fresh as? LibvirtBackend)?.close()
                    throw error
                }
            })
    }

    /// A proxy backend → an in-process vmgate served on a loopback port → its test-driver
    /// backend `local` (the same node fixture as ``testDriver``).
    static let proxy = proxy(
        name: "proxy", to: .shared, upstreamBackend: "local", timeout: 20, pool: "vmgate", base: "base.qcow2",
        network: "default")

    /// A proxy backend named `proxy` in front of `upstream`'s backend `upstreamBackend`.
    static func proxy(
        name: String, to upstream: SharedUpstream, upstreamBackend: String, timeout: Double, pool: String,
        base: String, network: String?
    ) -> BackendFixture {
        BackendFixture(
            name: name, pool: pool, base: base, network: network,
            open: {
                let url = try await upstream.url()
                let backend = ProxyBackend(
                    name: "proxy",
                    configuration: ProxyConfiguration(url: url, upstreamBackend: upstreamBackend, timeout: timeout),
                    logger: logger)
                try await backend.connect()
                return backend
            },
            close: { await ($0 as? ProxyBackend)?.close() },
            // The proxy keeps no cache: every read goes to the upstream gateway.
            reread: { backend, name in try await backend.machine(named: name) })
    }
}

extension BackendFixture {
    /// A proxy backend → an in-process vmgate → its real QEMU backend `qemu` (enabled by
    /// VMGATE_QEMU_URI), so what the proxy forwards (uploads streamed from files, disk copies)
    /// is exercised against a backend that can do it.
    static var proxyQEMU: BackendFixture? {
        guard let qemu else { return nil }
        return proxy(
            name: "proxy-qemu", to: .qemu, upstreamBackend: "qemu", timeout: 60, pool: qemu.pool, base: qemu.base,
            network: nil)
    }
}

/// The upstream gateway of a proxy fixture: started once per test process, on first use.
actor SharedUpstream {
    static let shared = SharedUpstream(TestGateway.configuration())
    static let qemu = SharedUpstream(TestGateway.qemuConfiguration())
    private let configuration: GatewayConfiguration
    private var starting: Task<LiveGateway, any Error>?

    init(_ configuration: GatewayConfiguration) { self.configuration = configuration }

    /// Base URL of the upstream's native API.
    func url() async throws -> String {
        if starting == nil {
            let configuration = self.configuration
            starting = Task {
                var config = configuration
                config.dialects = try ConfigurationLoader.parse("dialects: [{name: native}]").dialects
                return try await LiveGateway.start(config)
            }
        }
        return try await starting!.value.url
    }
}
