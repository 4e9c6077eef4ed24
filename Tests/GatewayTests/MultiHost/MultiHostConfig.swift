import Foundation
import Gateway
import GatewayTestSupport

/// Configurations for multi-host tests: the usual test-driver gateway plus more backends.
enum MultiHostConfig {
    /// A `proxy` backend entry named `name` pointing at `url`'s backend `upstream`.
    static func proxy(_ name: String, url: String, upstream: String = "local") -> GatewayConfiguration.BackendSettings {
        try! ConfigurationLoader.parse(
            """
            backends:
              - name: \(name)
                type: proxy
                url: "\(url)"
                upstreamBackend: \(upstream)
                defaultPool: vmgate
                network: default
                connectTimeoutSeconds: 1
                timeoutSeconds: 4
            """
        ).backends[0]
    }

    /// A group entry.
    static func group(_ name: String, _ backends: [String], placement: String? = nil, template: String? = "demo")
        -> GatewayConfiguration.GroupSettings
    {
        GatewayConfiguration.GroupSettings(name: name, backends: backends, template: template, placement: placement)
    }

    /// The test gateway's configuration plus a proxy backend `remote` → `url` and a group `edge` routed to it.
    static func withProxy(to url: String, store: String = ":memory:") -> GatewayConfiguration {
        var config = TestGateway.configuration(store: store)
        config.backends.append(proxy("remote", url: url))
        config.groups.append(group("edge", ["remote"]))
        return config
    }
}
