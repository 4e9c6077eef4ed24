import Spec
import Testing

@testable import Libvirt

/// libvirt-specific: a connection marked dead (as the close callback does) is re-opened on the next call.
@Suite("Libvirt reconnect")
struct LibvirtReconnectTests {
    @Test func reconnectsAfterConnectionDies() async throws {
        let backend = try #require(try await BackendFixture.testDriver.open() as? LibvirtBackend)
        let first = try await backend.connection()
        first.markDead()
        #expect(await backend.health().healthy == false)
        let machines = try await backend.machines()
        #expect(machines.contains { $0.name == "fixture-one" })
        let second = try await backend.connection()
        #expect(first !== second)
        #expect(await backend.health().healthy)
        await backend.close()
        await expectSpecError(.unavailable, "closed backend") { _ = try await backend.machines() }
    }
}
