import Foundation
import GatewayTestSupport
import Libvirt
import Logging
import Proxy
import Spec
import Testing

@testable import Gateway

/// Configuration of remote libvirt and proxy backends.
@Suite("Multi-host: backend settings")
struct BackendSettingsTests {
    func backend(_ yaml: String) throws -> GatewayConfiguration.BackendSettings {
        try ConfigurationLoader.parse("backends:\n" + yaml).backends[0]
    }

    @Test("sshKey and knownHosts become libvirt URI parameters")
    func sshParameters() throws {
        let strict = try backend(
            "  - {name: r, uri: 'qemu+ssh://root@10.0.0.2:2222/system', sshKey: /k/id, knownHosts: /k/known_hosts}")
        #expect(
            strict.libvirtURI
                == "qemu+ssh://root@10.0.0.2:2222/system?keyfile=/k/id&known_hosts=/k/known_hosts&no_tty=1")
        let lax = try backend(
            "  - {name: r, uri: 'qemu+ssh://root@h/system?socket=/s', sshKey: /k/id, knownHosts: ignore}")
        #expect(lax.libvirtURI == "qemu+ssh://root@h/system?socket=/s&keyfile=/k/id&no_verify=1&no_tty=1")
        let explicit = try backend("  - {name: r, uri: 'qemu+ssh://h/system?keyfile=/mine', sshKey: /other}")
        #expect(explicit.libvirtURI == "qemu+ssh://h/system?keyfile=/mine&no_tty=1")
        let local = try backend("  - {name: l, uri: 'qemu:///system'}")
        #expect(local.libvirtURI == "qemu:///system")
        let keepalive = try backend(
            "  - {name: r, uri: 'qemu+ssh://h/system', keepaliveInterval: 2, keepaliveCount: 4}")
        #expect(keepalive.libvirtConfiguration.keepAliveInterval == 2)
        #expect(keepalive.libvirtConfiguration.keepAliveCount == 4)
    }

    @Test("proxy settings are checked and carried into the backend")
    func proxySettings() throws {
        var config = TestGateway.configuration()
        config.backends.append(MultiHostConfig.proxy("p", url: "https://gw2:8443/api/v1/", upstream: "qemu"))
        try ConfigurationLoader.validate(config)
        let proxy = config.backends[1].proxyConfiguration
        #expect(proxy.url == "https://gw2:8443/api/v1")
        #expect(proxy.upstreamBackend == "qemu")
        #expect(proxy.connectTimeout == 1 && proxy.timeout == 4)

        let full = try backend(
            """
              - name: p
                type: proxy
                url: https://gw2/api/v1
                upstreamBackend: b
                token: t0k
                caFile: /ca.pem
                clientCertificate: /c.pem
                clientKey: /k.pem
                insecure: true
            """)
        #expect(full.proxyConfiguration.bearerToken == "t0k")
        #expect(full.proxyConfiguration.caFile == "/ca.pem" && full.proxyConfiguration.insecure)

        var missing = TestGateway.configuration()
        missing.backends.append(try backend("  - {name: p, type: proxy, upstreamBackend: b}"))
        #expect { try ConfigurationLoader.validate(missing) } throws: { "\($0)".contains("backends[1].url") }
        var noUpstream = TestGateway.configuration()
        noUpstream.backends.append(try backend("  - {name: p, type: proxy, url: 'http://x/api/v1'}"))
        #expect { try ConfigurationLoader.validate(noUpstream) } throws: { "\($0)".contains("upstreamBackend") }
        var unknown = TestGateway.configuration()
        unknown.backends.append(try backend("  - {name: p, type: vmware, uri: x}"))
        #expect { try ConfigurationLoader.validate(unknown) } throws: { "\($0)".contains("libvirt, proxy") }
    }

    @Test("endpoints never show passwords")
    func redaction() async throws {
        let logger = Logger(label: "redaction")
        let libvirt = LibvirtBackend(
            name: "r", configuration: LibvirtConfiguration(uri: "qemu+ssh://root:hunter2@h:22/system?keyfile=/k"),
            logger: logger)
        #expect(!libvirt.endpoint.contains("hunter2"))
        #expect(libvirt.endpoint.contains("root@h:22"))
        let proxy = ProxyBackend(
            name: "p",
            configuration: ProxyConfiguration(url: "https://ops:hunter2@gw2:8443/api/v1", upstreamBackend: "b"),
            logger: logger)
        #expect(proxy.endpoint == "https://ops:***@gw2:8443/api/v1#b")
        await proxy.close()
        await libvirt.close()
    }

    @Test("a proxy whose upstream is not there fails fast with unavailable and reports itself unhealthy")
    func unreachableUpstream() async throws {
        let port = try LiveGateway.freePort()
        let proxy = ProxyBackend(
            name: "p",
            configuration: ProxyConfiguration(
                url: "http://127.0.0.1:\(port)/api/v1", upstreamBackend: "b", connectTimeout: 30, timeout: 60),
            logger: Logger(label: "proxy"))
        let started = ContinuousClock.now
        await #expect { try await proxy.machines() } throws: { ($0 as? Spec.SpecError)?.kind == .unavailable }
        // Refused at once, not after the 30 s connect timeout (loose: other tests share the two cores).
        #expect(ContinuousClock.now - started < .seconds(10))
        let health = await proxy.health()
        #expect(!health.healthy)
        #expect(health.lastError?.contains("127.0.0.1") == true)
        await proxy.close()
    }
}
