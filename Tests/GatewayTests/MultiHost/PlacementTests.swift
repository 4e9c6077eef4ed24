import Foundation
import GatewayCore
import GatewayTestSupport
import Libvirt
import Logging
import Spec
import Store
import Testing

/// Each placement policy choosing between two test-driver backends.
@Suite("Multi-host: placement")
struct PlacementTests {
    static let logger = Logger(label: "placement")

    /// Runs `body` with a fleet over test-driver backends `a` and `b` (free memory as given) and group `g`.
    func withFleet(
        placement: Group.Placement, freeMiB: (a: Int, b: Int) = (1024, 1024),
        _ body: (Fleet, MemoryReporter, MemoryReporter) async throws -> Void
    ) async throws {
        let a = LibvirtBackend(
            name: "a", configuration: LibvirtConfiguration(uri: TestGateway.fixtureURI, threads: 2), logger: Self.logger
        )
        let b = LibvirtBackend(
            name: "b", configuration: LibvirtConfiguration(uri: TestGateway.fixtureURI, threads: 2), logger: Self.logger
        )
        try await a.connect()
        try await b.connect()
        let reporterA = MemoryReporter(a, freeMiB: freeMiB.a)
        let reporterB = MemoryReporter(b, freeMiB: freeMiB.b)
        var registry = BackendRegistry()
        registry.use(reporterA, defaults: BackendDefaults(network: "default", pool: "vmgate"))
        registry.use(reporterB, defaults: BackendDefaults(network: "default", pool: "vmgate"))
        let store = try SQLiteStore.inMemory()
        let groups = GroupDirectory(
            configured: [Group(name: "g", backends: ["a", "b"], placement: placement)], store: store)
        let fleet = Fleet(backends: registry, groups: groups, store: store, callTimeout: 5, logger: Self.logger)
        do { try await body(fleet, reporterA, reporterB) } catch {
            await a.close()
            await b.close()
            throw error
        }
        await a.close()
        await b.close()
    }

    func create(_ fleet: Fleet, _ name: String) async throws -> String {
        try await fleet.createMachine(
            CreateMachineRequest(name: name, group: "g", memoryKiB: 64 * 1024, diskBytes: 1 << 20)
        ).backend
    }

    @Test("round-robin alternates between the group's backends")
    func roundRobin() async throws {
        try await withFleet(placement: .roundRobin) { fleet, _, _ in
            var chosen: [String] = []
            for index in 0..<4 { chosen.append(try await create(fleet, "rr\(index)")) }
            #expect(chosen == ["a", "b", "a", "b"])
        }
    }

    @Test("pinned always uses the first backend, even with more memory elsewhere")
    func pinned() async throws {
        try await withFleet(placement: .pinned, freeMiB: (a: 100, b: 9000)) { fleet, _, _ in
            let p0 = try await create(fleet, "p0")
            #expect(p0 == "a")
            let p1 = try await create(fleet, "p1")
            #expect(p1 == "a")
        }
    }

    @Test("most-free-memory follows the host with more free memory, and skips an unreachable one")
    func mostFreeMemory() async throws {
        try await withFleet(placement: .mostFreeMemory, freeMiB: (a: 512, b: 2048)) { fleet, a, b in
            let m0 = try await create(fleet, "m0")
            #expect(m0 == "b")
            a.freeMiB.withLock { $0 = 4096 }
            let m1 = try await create(fleet, "m1")
            #expect(m1 == "a")
            a.down.withLock { $0 = true }
            let m2 = try await create(fleet, "m2")
            #expect(m2 == "b")
            b.down.withLock { $0 = true }
            await #expect(throws: SpecError.self) { _ = try await create(fleet, "m3") }
        }
    }
}
