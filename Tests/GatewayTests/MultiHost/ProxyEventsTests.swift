import Foundation
import GatewayCore
import GatewayTestSupport
import Logging
import Spec
import Testing

@testable import Gateway
@testable import Proxy

/// The proxy's polled event stream.
@Suite("Multi-host: proxy events")
struct ProxyEventsTests {
    @Test("polling the upstream list turns state changes into events")
    func polledEvents() async throws {
        try await LiveGateway.with(TestGateway.configuration()) { upstream in
            let proxy = ProxyBackend(
                name: "p",
                configuration: ProxyConfiguration(url: upstream.url, upstreamBackend: "local", pollInterval: 0.1),
                logger: Logger(label: "events"))
            try await proxy.connect()
            #expect(!proxy.capabilities.contains(.events), "polled events are not announced as pushed ones")
            #expect(proxy.capabilities.contains(.snapshots))
            let events = proxy.events()
            let collected = Task {
                var seen: [MachineEvent.Kind] = []
                for await event in events where event.machine == MachineRef(backend: "p", name: "ev1") {
                    seen.append(event.kind)
                    if seen.count == 3 { break }
                }
                return seen
            }
            try await Task.sleep(for: .milliseconds(300))
            _ = try await upstream.gateway.fleet.createMachine(CreateMachineRequest(name: "ev1"))
            try await Task.sleep(for: .milliseconds(400))
            _ = try await upstream.gateway.fleet.perform(.start, on: "local:ev1")
            try await Task.sleep(for: .milliseconds(400))
            try await upstream.gateway.fleet.deleteMachine("local:ev1")
            let timeout = Task {
                try await Task.sleep(for: .seconds(10))
                collected.cancel()
            }
            #expect(await collected.value == [.defined, .started, .undefined])
            timeout.cancel()
            await proxy.close()
        }
    }

    @Test("state steps map onto event kinds")
    func changes() {
        let events = ProxyBackend.changes(
            from: ["a": .running, "b": .paused, "c": .running, "gone": .shutoff],
            to: ["a": .paused, "b": .running, "c": .shutoff, "new": .running], backend: "p")
        #expect(
            events.map { "\($0.machine.name):\($0.kind.rawValue)" } == [
                "a:suspended", "b:resumed", "c:stopped", "new:defined", "new:started", "gone:undefined",
            ])
    }
}
