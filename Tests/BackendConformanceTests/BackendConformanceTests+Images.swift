import Foundation
import Spec
import Testing

extension BackendConformanceTests {
    /// A raw image file of `bytes` bytes of `fill`, removed by the caller.
    static func imageFile(bytes: Int, fill: UInt8) throws -> ImageFile {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cf-\(UUID().uuidString).raw").path
        try Data(repeating: fill, count: bytes).write(to: URL(fileURLWithPath: path))
        return ImageFile(path: path, byteCount: bytes, format: "raw")
    }

    @Test(
        "images: upload from a local file, overwrite, copy a machine's disk (or unsupported)",
        arguments: BackendFixture.all)
    func images(_ fixture: BackendFixture) async throws {
        let first = try Self.imageFile(bytes: 1 << 20, fill: 0x11)
        let second = try Self.imageFile(bytes: 2 << 20, fill: 0x22)
        defer { for file in [first, second] { try? FileManager.default.removeItem(atPath: file.path) } }
        try await withBackend(fixture) { backend in
            let name = uniqueName("img") + ".raw"
            guard backend.capabilities.contains(.volumeMaintenance) else {
                await expectSpecError(.unsupported, "upload") {
                    _ = try await backend.uploadVolume(named: name, inPool: fixture.pool, from: first)
                }
                await expectSpecError(.unsupported, "write") {
                    _ = try await backend.writeVolume(named: fixture.base, inPool: fixture.pool, from: first)
                }
                await expectSpecError(.unsupported, "copy") {
                    _ = try await backend.copyDisk("vda", ofMachine: "any", toVolume: name, inPool: fixture.pool)
                }
                return
            }
            let uploaded = try await backend.uploadVolume(named: name, inPool: fixture.pool, from: first)
            #expect(uploaded.capacityBytes == 1 << 20)
            #expect(uploaded.format == "raw")
            #expect(FileManager.default.contents(atPath: uploaded.path) == Data(repeating: 0x11, count: 1 << 20))
            await expectSpecError(.conflict, "upload over an existing volume") {
                _ = try await backend.uploadVolume(named: name, inPool: fixture.pool, from: first)
            }
            let written = try await backend.writeVolume(named: name, inPool: fixture.pool, from: second)
            #expect(written.capacityBytes >= 2 << 20, "the volume grows to hold the image")
            #expect(
                FileManager.default.contents(atPath: written.path)?.prefix(2 << 20)
                    == Data(repeating: 0x22, count: 2 << 20))
            try await backend.deleteVolume(named: name, inPool: fixture.pool)

            let machine = uniqueName()
            try await withMachine(backend, smallSpec(fixture, name: machine)) { created in
                let disk = try #require(created.disks.first)
                let stopped = try await backend.copyDisk(
                    disk.target, ofMachine: machine, toVolume: "\(machine)-off.qcow2", inPool: fixture.pool)
                _ = try await backend.perform(.start, onMachine: machine)
                let running = try await backend.copyDisk(
                    disk.target, ofMachine: machine, toVolume: "\(machine)-live.qcow2", inPool: fixture.pool)
                for copy in [stopped, running] {
                    #expect(copy.format == "qcow2", "\(copy.name)")
                    #expect(copy.backingPath == nil, "\(copy.name) is flattened")
                    #expect(copy.capacityBytes == disk.capacityBytes, "\(copy.name)")
                    try await backend.deleteVolume(named: copy.name, inPool: fixture.pool)
                }
                await expectSpecError(.notFound, "copy of a disk the machine lacks") {
                    _ = try await backend.copyDisk("vdz", ofMachine: machine, toVolume: "x.qcow2", inPool: fixture.pool)
                }
                _ = try await backend.perform(.poweroff, onMachine: machine)
            }
        }
    }
}
