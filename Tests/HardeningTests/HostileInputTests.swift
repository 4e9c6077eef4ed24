import Foundation
import Gateway
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// Every numeric field of every dialect gets Int.max, -1, 0, ±1e300, a 400-digit literal and,
/// where the field takes text, "NaN" and "Infinity". Each answer must be a 4xx in the dialect's
/// own error format (or a success where the value is valid), no refused request may leave a
/// machine behind, and the gateway must still answer `/healthz` afterwards.
@Suite("Hostile input: numbers in every dialect")
struct HostileInputTests {
    @Test("every numeric field refuses hostile values with a 4xx in the dialect's format")
    func numbers() async throws {
        try await TestGateway.run(HostileGateway.configuration()) { client, _ in
            let targets = try await HostileGateway.prepare(client)
            let counter = Atomic<Int>(0)
            for probe in Probes.all {
                for value in probe.values {
                    let n = counter.add(1, ordering: .relaxed).newValue
                    try await send(probe, value, n: n, targets: targets, client: client)
                }
            }
            let health = try await client.send(.get, "/healthz")
            #expect(health.status == .ok)
        }
    }

    private func send(
        _ probe: Probe, _ value: HostileValue, n: Int, targets: HostileGateway.Targets,
        client: some TestClientProtocol
    ) async throws {
        func fill(_ template: String) -> String {
            template.replacingOccurrences(of: "{v}", with: value.text).replacingOccurrences(of: "{n}", with: "\(n)")
                .replacingOccurrences(of: "{uuid}", with: targets.vserverUUID)
                .replacingOccurrences(of: "{inf}", with: targets.infrastructure)
                .replacingOccurrences(of: "{host}", with: targets.pooledHost)
        }
        var headers: HTTPFields = [.contentType: probe.contentType, .accept: "application/json"]
        if probe.format == .im { headers[.authorization] = HostileGateway.imAuth }
        let before = try await machineCount(client)
        let (status, body) = try await client.execute(
            uri: fill(probe.path), method: probe.method, headers: headers,
            body: probe.body.map { ByteBuffer(string: fill($0)) }
        ) { (Int($0.status.code), Data(buffer: $0.body)) }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        let context = "\(probe) with \(value): \(status) \(text)".replacingOccurrences(of: "\n", with: "⏎")
        if probe.accepted.contains(value), (200..<300).contains(status) { return }
        #expect((400..<500).contains(status), "\(context)")
        #expect(probe.format.matches(body, status: status), "not a \(probe.format) error body: \(context)")
        let after = try await machineCount(client)
        #expect(after == before, "a refused request changed the machines (\(before) → \(after)): \(context)")
    }

    /// Machines outside the vmpooler pool, whose manager refills it on its own.
    private func machineCount(_ client: some TestClientProtocol) async throws -> Int {
        let list = try await client.json(.get, "/api/v1/machines")
        let items = list["items"] as? [[String: Any]] ?? []
        return items.filter { $0["group"] as? String != "pool1" }.count
    }
}
