import Fetch
import Foundation
import GatewayTestSupport
import Testing

@testable import Gateway

/// The `imports` section: parsed, checked by `check-config`, and defaulting to no `file://` and
/// public http(s) addresses only.
@Suite("Configuration: imports")
struct ImportConfigurationTests {
    static func failure(_ yaml: String) -> String? {
        do {
            try ConfigurationLoader.validate(try ConfigurationLoader.parse(yaml))
            return nil
        } catch { return "\(error)" }
    }

    @Test("a full section resolves to the fleet's import settings")
    func resolves() throws {
        let yaml = """
            imports:
              directory: /tmp
              allowedHosts: [images.example.com, "*.mirror.example.org"]
              allowedNetworks: [127.0.0.1/32, "fd00::/8"]
              maxBytes: 1048576
              timeoutSeconds: 30
              maxRedirects: 2
              spoolDirectory: /var/tmp
            """
        let config = try ConfigurationLoader.parse(yaml)
        try ConfigurationLoader.validate(config)
        let settings = try #require(try config.imports?.resolved())
        #expect(settings.directory == "/tmp")
        #expect(settings.spoolDirectory == "/var/tmp")
        #expect(settings.fetch.allowedHosts == ["images.example.com", "*.mirror.example.org"])
        #expect(settings.fetch.allowedNetworks == [IPNetwork("127.0.0.1/32")!, IPNetwork("fd00::/8")!])
        #expect(settings.maxBytes == 1 << 20)
        #expect(settings.timeoutSeconds == 30)
        #expect(settings.fetch.maxRedirects == 2)
    }

    @Test("left out: file:// refused, public addresses only, 1 GiB, 600 s")
    func defaults() throws {
        let gateway = try ConfigurationLoader.load(path: nil, environment: [:])
        #expect(gateway.imports == nil)
        let settings = try GatewayConfiguration.ImportSettings().resolved()
        #expect(settings.directory == nil)
        #expect(settings.fetch.allowedNetworks.isEmpty)
        #expect(settings.maxBytes == 1 << 30)
        #expect(settings.timeoutSeconds == 600)
    }

    @Test("check-config reports bad networks, sizes, directories and keys")
    func refusals() {
        for (yaml, text) in [
            ("imports: {allowedNetworks: [10.0.0.1/8]}", "allowedNetworks[0]"),
            ("imports: {allowedNetworks: [localhost]}", "CIDR"),
            ("imports: {maxBytes: 0}", "maxBytes"),
            ("imports: {timeoutSeconds: -1}", "timeoutSeconds"),
            ("imports: {maxRedirects: 50}", "maxRedirects"),
            ("imports: {directory: /nonexistent/images}", "imports.directory"),
            ("imports: {directory: relative/images}", "imports.directory"),
            ("imports: {spoolDirectory: /etc/hostname}", "imports.spoolDirectory"),
            ("imports: {allowedHosts: ['']}", "allowedHosts[0]"),
            ("imports: {allowedNetwork: [10.0.0.0/8]}", "unknown key 'imports.allowedNetwork'"),
            ("imports: {allowedNetworks: 10.0.0.0/8}", "expected a list"),
        ] {
            let failure = Self.failure(yaml)
            #expect(failure?.contains(text) == true, "\(yaml): \(failure ?? "accepted")")
        }
    }
}
