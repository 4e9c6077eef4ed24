import Foundation
import Spec
import Testing

/// A unique machine name.
func uniqueName(_ prefix: String = "cf") -> String {
    prefix + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
}

/// Opens the fixture's backend, runs `body` and always closes it.
func withBackend(_ fixture: BackendFixture, _ body: (any Backend) async throws -> Void) async throws {
    let backend = try await fixture.open()
    do {
        try await body(backend)
    } catch {
        await fixture.close(backend)
        throw error
    }
    await fixture.close(backend)
}

/// A small machine spec cloned from the fixture's base image.
func smallSpec(_ fixture: BackendFixture, name: String, start: Bool = false, tags: [String: String] = [:])
    -> MachineSpec
{
    MachineSpec(
        name: name, vcpus: 1, memoryKiB: 64 * 1024,
        disks: [DiskSpec(source: .overlay(pool: fixture.pool, volume: fixture.base))],
        nics: fixture.network.map { [NICSpec(source: $0)] } ?? [], graphics: "vnc", serialConsole: true,
        metadata: MachineMetadata(group: "conformance", template: "tiny", tags: tags, createdAt: Date()),
        start: start)
}

/// Creates a machine, runs `body` and always deletes it with its owned disks.
func withMachine(
    _ backend: any Backend, _ spec: MachineSpec, _ body: (Machine) async throws -> Void
) async throws {
    let machine = try await backend.createMachine(spec)
    do {
        try await body(machine)
    } catch {
        try? await backend.deleteMachine(named: spec.name, options: DeleteOptions(removeOwnedDisks: true, force: true))
        throw error
    }
    try? await backend.deleteMachine(named: spec.name, options: DeleteOptions(removeOwnedDisks: true, force: true))
}

/// Expects `body` to throw a ``SpecError`` of `kind`.
func expectSpecError(
    _ kind: SpecError.Kind, _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("\(what): expected \(kind) but succeeded", sourceLocation: sourceLocation)
    } catch let error as SpecError {
        #expect(error.kind == kind, "\(what): \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(what): expected SpecError.\(kind), got \(error)", sourceLocation: sourceLocation)
    }
}

/// Polls until `condition` holds or `seconds` pass.
func eventually(seconds: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
