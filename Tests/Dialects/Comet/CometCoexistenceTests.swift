import Foundation
import Gateway
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Comet beside Kimchi")
struct CometCoexistenceTests {
    @Test("both dialects serve /storagepools at once, Comet in bytes and Kimchi in MB; machines are shared")
    func storagePoolsInBothUnits() async throws {
        var config = CometTest.configuration()
        config.dialects += try! ConfigurationLoader.parse("dialects: [{name: kimchi}]").dialects
        try await TestGateway.run(config) { client, _ in
            let comet = try #require(
                try await client.list("/comet/storagepools").first { $0["name"] as? String == "vmgate" })
            let kimchi = try #require(
                try await client.list("/kimchi/storagepools").first { $0["name"] as? String == "vmgate" })
            #expect(comet["capacity"] as? Int == 107_374_182_400)
            #expect(kimchi["capacity"] as? Int == 107_374_182_400 >> 20)
            #expect((comet["available"] as? Int ?? 0) >> 20 == kimchi["available"] as? Int)
            // Each keeps its own error format.
            let cometError = try await client.json(.get, "/comet/storagepools/nope", expect: .notFound)
            #expect(cometError["code"] as? Int == 404)
            #expect(cometError["reason"] is String)

            // A VM made through Comet is a Kimchi VM too.
            _ = try await client.json(
                .post, "/comet/cluster", json: #"{"name":"shared","template":"demo"}"#, expect: .created)
            _ = try await client.json(.post, "/comet/cluster/shared/vms", json: #"{"name":"both"}"#, expect: .created)
            #expect(try await client.list("/kimchi/vms").contains { $0["name"] as? String == "both" })
        }
    }
}
