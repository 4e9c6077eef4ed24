import Foundation
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Kimchi: configuration and capabilities")
struct KimchiSystemTests {
    @Test("config reports the port the client used; capabilities reflect the default backend")
    func config() async throws {
        try await KimchiFixture.run { client, _ in
            let port = try await client.execute(
                uri: "/kimchi/config", method: .get, headers: [HTTPField.Name("Host")!: "vmgate.example:8123"]
            ) { response in
                (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["http_port"]
                    as? Int
            }
            #expect(port == 8123)
            let capabilities = try await client.json(.get, "/kimchi/config/capabilities")
            #expect(capabilities["screenshot"] as? Bool == true, "the test driver takes screenshots")
            #expect(capabilities["stream_protocols"] as? [String] == [])
            #expect(capabilities["qemu_stream"] as? Bool == false)
        }
    }
}
