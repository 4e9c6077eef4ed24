import Foundation
import Spec
import Testing

/// Behaviour every backend must show; parameterized over the fixtures enabled here.
@Suite("Backend conformance", .serialized)
struct BackendConformanceTests {
    @Test("list and get", arguments: BackendFixture.all)
    func listAndGet(_ fixture: BackendFixture) async throws {
        try await withBackend(fixture) { backend in
            let name = uniqueName()
            try await withMachine(backend, smallSpec(fixture, name: name)) { created in
                let listed = try await backend.machines()
                #expect(listed.contains { $0.name == name && $0.uuid == created.uuid })
                let fetched = try await backend.machine(named: name)
                #expect(fetched.uuid == created.uuid)
                #expect(fetched.id == "\(backend.name):\(name)")
                #expect(fetched.state == .shutoff)
                #expect(fetched.vcpus == 1)
                #expect(fetched.memoryKiB == 64 * 1024)
                #expect(fetched.hasSerialConsole)
                #expect(fetched.graphics.first?.type == "vnc")
                #expect(fetched.persistent)
            }
        }
    }

    @Test("overlay clone creates an owned qcow2 backed by the base", arguments: BackendFixture.all)
    func overlayClone(_ fixture: BackendFixture) async throws {
        try await withBackend(fixture) { backend in
            guard backend.capabilities.contains(.overlayClone) else { return }
            let name = uniqueName()
            let base = try await backend.volume(named: fixture.base, inPool: fixture.pool)
            let machine = try await backend.createMachine(smallSpec(fixture, name: name))
            let disk = try #require(machine.disks.first)
            #expect(disk.target == "vda")
            #expect(disk.ownedByGateway)
            #expect(disk.format == "qcow2")
            #expect(disk.pool == fixture.pool)
            let volumeName = try #require(disk.volume)
            let volume = try await backend.volume(named: volumeName, inPool: fixture.pool)
            #expect(volume.backingPath == base.path)
            #expect(volume.format == "qcow2")
            try await backend.deleteMachine(named: name, options: DeleteOptions(removeOwnedDisks: true, force: true))
            await expectSpecError(.notFound, "deleted machine") { _ = try await backend.machine(named: name) }
            let remaining = try await backend.volumes(inPool: fixture.pool).map(\.name)
            #expect(!remaining.contains(volumeName), "owned disk must be removed with the machine")
            #expect(remaining.contains(fixture.base), "the base image must survive")
        }
    }

    @Test("power lifecycle", arguments: BackendFixture.all)
    func lifecycle(_ fixture: BackendFixture) async throws {
        try await withBackend(fixture) { backend in
            let name = uniqueName()
            try await withMachine(backend, smallSpec(fixture, name: name)) { _ in
                var machine = try await backend.perform(.start, onMachine: name)
                #expect(machine.state == .running)
                await expectSpecError(.conflict, "start a running machine") {
                    _ = try await backend.perform(.start, onMachine: name)
                }
                machine = try await backend.perform(.suspend, onMachine: name)
                #expect(machine.state == .paused)
                #expect(try await backend.machine(named: name).state == .paused)
                machine = try await backend.perform(.resume, onMachine: name)
                #expect(machine.state == .running)
                machine = try await backend.perform(.shutdown, onMachine: name)
                #expect([.running, .pending, .shutoff].contains(machine.state))
                if machine.state != .shutoff {
                    machine = try await backend.perform(.poweroff, onMachine: name)
                }
                #expect(machine.state == .shutoff)
                await expectSpecError(.conflict, "suspend a shut-off machine") {
                    _ = try await backend.perform(.suspend, onMachine: name)
                }
            }
        }
    }

    @Test("metadata and hardware updates", arguments: BackendFixture.all)
    func updates(_ fixture: BackendFixture) async throws {
        try await withBackend(fixture) { backend in
            let name = uniqueName()
            try await withMachine(backend, smallSpec(fixture, name: name, tags: ["team": "a&b <c>"])) { created in
                #expect(created.metadata.tags["team"] == "a&b <c>")
                var metadata = created.metadata
                metadata.tags["owner"] = "o'neil \"q\""
                metadata.lifetimeHours = 2.5
                metadata.leaseStart = Date(timeIntervalSince1970: 1_700_000_000.25)
                metadata.extra["vmpooler.state"] = "ready"
                let updated = try await backend.updateMachine(named: name, MachineUpdate(metadata: metadata))
                #expect(updated.metadata == metadata)
                let reread = try await fixture.reread(backend, name)
                #expect(reread.metadata == metadata)
                #expect(reread.disks.first?.ownedByGateway == true, "ownership survives a metadata update")
                if backend.capabilities.contains(.hardwareUpdate) {
                    let bigger = try await backend.updateMachine(
                        named: name, MachineUpdate(vcpus: 2, memoryKiB: 96 * 1024))
                    #expect(bigger.vcpus == 2)
                    #expect(bigger.memoryKiB == 96 * 1024)
                    _ = try await backend.perform(.start, onMachine: name)
                    await expectSpecError(.conflict, "hardware change while running") {
                        _ = try await backend.updateMachine(named: name, MachineUpdate(vcpus: 1))
                    }
                    // Metadata of a running machine goes to the live and the persistent definition.
                    metadata.extra["vmpooler.state"] = "running"
                    #expect(
                        try await backend.updateMachine(named: name, MachineUpdate(metadata: metadata)).metadata
                            == metadata)
                    #expect(try await fixture.reread(backend, name).metadata == metadata)
                    _ = try await backend.perform(.poweroff, onMachine: name)
                    let persisted = try await fixture.reread(backend, name)
                    #expect(persisted.metadata == metadata, "the persistent definition has it after power-off")
                    #expect(persisted.disks.first?.ownedByGateway == true)
                }
            }
        }
    }

    @Test("snapshots", arguments: BackendFixture.all)
    func snapshots(_ fixture: BackendFixture) async throws {
        try await withBackend(fixture) { backend in
            guard backend.capabilities.contains(.snapshots) else { return }
            let name = uniqueName()
            try await withMachine(backend, smallSpec(fixture, name: name)) { _ in
                let first = try await backend.createSnapshot(
                    ofMachine: name, SnapshotSpec(name: "s1", description: "first <one>"))
                #expect(first.name == "s1")
                #expect(first.description == "first <one>")
                #expect(first.state == .shutoff)
                await expectSpecError(.conflict, "duplicate snapshot") {
                    _ = try await backend.createSnapshot(ofMachine: name, SnapshotSpec(name: "s1"))
                }
                let second = try await backend.createSnapshot(ofMachine: name, SnapshotSpec(name: "s2"))
                #expect(second.parent == "s1")
                var list = try await backend.snapshots(ofMachine: name)
                #expect(list.map(\.name) == ["s1", "s2"])
                #expect(list.first { $0.isCurrent }?.name == "s2")
                try await backend.revertSnapshot("s1", ofMachine: name)
                list = try await backend.snapshots(ofMachine: name)
                #expect(list.first { $0.isCurrent }?.name == "s1")
                try await backend.deleteSnapshot("s2", ofMachine: name)
                #expect(try await backend.snapshots(ofMachine: name).map(\.name) == ["s1"])
                await expectSpecError(.notFound, "unknown snapshot") {
                    try await backend.revertSnapshot("nope", ofMachine: name)
                }
                await expectSpecError(.notFound, "delete unknown snapshot") {
                    try await backend.deleteSnapshot("nope", ofMachine: name)
                }
            }
        }
    }

    @Test("volumes", arguments: BackendFixture.all)
    func volumes(_ fixture: BackendFixture) async throws {
        try await withBackend(fixture) { backend in
            guard backend.capabilities.contains(.storage) else { return }
            let pools = try await backend.storagePools()
            let pool = try #require(pools.first { $0.name == fixture.pool })
            #expect(pool.active)
            #expect(pool.volumeCount >= 1)
            let name = uniqueName("cfvol") + ".qcow2"
            let created = try await backend.createVolume(
                VolumeSpec(name: name, capacityBytes: 8 << 20), inPool: fixture.pool)
            #expect(created.capacityBytes == 8 << 20)
            #expect(created.format == "qcow2")
            await expectSpecError(.conflict, "duplicate volume") {
                _ = try await backend.createVolume(VolumeSpec(name: name, capacityBytes: 8 << 20), inPool: fixture.pool)
            }
            if backend.capabilities.contains(.volumeMaintenance) {
                let resized = try await backend.resizeVolume(named: name, inPool: fixture.pool, capacityBytes: 16 << 20)
                #expect(resized.capacityBytes == 16 << 20)
                try await backend.wipeVolume(named: name, inPool: fixture.pool)
            }
            try await backend.deleteVolume(named: name, inPool: fixture.pool)
            await expectSpecError(.notFound, "deleted volume") {
                _ = try await backend.volume(named: name, inPool: fixture.pool)
            }
            await expectSpecError(.notFound, "unknown pool") { _ = try await backend.volumes(inPool: "no-such-pool") }
        }
    }

    @Test("attach and detach a disk", arguments: BackendFixture.all)
    func attachDetach(_ fixture: BackendFixture) async throws {
        try await withBackend(fixture) { backend in
            guard backend.capabilities.contains(.diskAttach) else { return }
            let name = uniqueName()
            let volumeName = uniqueName("cfdata") + ".qcow2"
            _ = try await backend.createVolume(
                VolumeSpec(name: volumeName, capacityBytes: 4 << 20), inPool: fixture.pool)
            try await withMachine(backend, smallSpec(fixture, name: name)) { _ in
                let attachment = DiskAttachment(pool: fixture.pool, volume: volumeName)
                let attached = try await backend.attachDisk(attachment, toMachine: name)
                let disk = try #require(attached.disks.first { $0.volume == volumeName })
                #expect(disk.target == "vdb")
                #expect(!disk.ownedByGateway)
                await expectSpecError(.conflict, "attach twice") {
                    _ = try await backend.attachDisk(attachment, toMachine: name)
                }
                let detached = try await backend.detachDisk(target: "vdb", fromMachine: name)
                #expect(!detached.disks.contains { $0.volume == volumeName })
                await expectSpecError(.notFound, "detach unknown target") {
                    _ = try await backend.detachDisk(target: "vdz", fromMachine: name)
                }
            }
            // Not owned: deleting the machine kept it.
            _ = try await backend.volume(named: volumeName, inPool: fixture.pool)
            try await backend.deleteVolume(named: volumeName, inPool: fixture.pool)
        }
    }

    @Test("errors map onto the shared taxonomy", arguments: BackendFixture.all)
    func errors(_ fixture: BackendFixture) async throws {
        try await withBackend(fixture) { backend in
            await expectSpecError(.notFound, "unknown machine") {
                _ = try await backend.machine(named: "no-such-machine")
            }
            await expectSpecError(.notFound, "start unknown machine") {
                _ = try await backend.perform(.start, onMachine: "no-such-machine")
            }
            for bad in ["a<b", "x'y", "", "-lead", "sp ace"] {
                await expectSpecError(.invalid, "bad name \(bad)") {
                    _ = try await backend.createMachine(smallSpec(fixture, name: bad))
                }
            }
            var absurd = smallSpec(fixture, name: uniqueName())
            absurd.memoryKiB = 1 << 40
            await expectSpecError(.invalid, "absurd memory") { _ = try await backend.createMachine(absurd) }
            absurd.memoryKiB = 64 * 1024
            absurd.vcpus = 0
            await expectSpecError(.invalid, "zero vcpus") { _ = try await backend.createMachine(absurd) }
            let name = uniqueName()
            try await withMachine(backend, smallSpec(fixture, name: name)) { _ in
                await expectSpecError(.conflict, "duplicate name") {
                    _ = try await backend.createMachine(smallSpec(fixture, name: name))
                }
            }
            var missing = smallSpec(fixture, name: uniqueName())
            missing.disks = [DiskSpec(source: .overlay(pool: fixture.pool, volume: "no-such-base.qcow2"))]
            await expectSpecError(.notFound, "unknown base volume") { _ = try await backend.createMachine(missing) }
            await expectSpecError(.notFound, "half-created machine") {
                _ = try await backend.machine(named: missing.name)
            }
        }
    }

    @Test("screenshot of a running machine", arguments: BackendFixture.all)
    func screenshot(_ fixture: BackendFixture) async throws {
        try await withBackend(fixture) { backend in
            guard backend.capabilities.contains(.screenshots) else { return }
            let name = uniqueName()
            try await withMachine(backend, smallSpec(fixture, name: name)) { _ in
                await expectSpecError(.conflict, "screenshot of a shut-off machine") {
                    _ = try await backend.screenshot(ofMachine: name)
                }
                _ = try await backend.perform(.start, onMachine: name)
                // Give a real guest's display a moment to come up.
                try await Task.sleep(for: .milliseconds(500))
                let shot = try await backend.screenshot(ofMachine: name)
                let isPPM = shot.data.starts(with: Array("P6".utf8))
                let isPNG = shot.data.starts(with: [0x89, 0x50, 0x4E, 0x47])
                #expect(isPPM || isPNG, "unexpected image header \(shot.data.prefix(8)) (\(shot.mimeType))")
                #expect(shot.data.count > 100)
                _ = try await backend.perform(.poweroff, onMachine: name)
            }
        }
    }

    @Test("stats, host info and events", arguments: BackendFixture.all)
    func statsHostEvents(_ fixture: BackendFixture) async throws {
        try await withBackend(fixture) { backend in
            let host = try await backend.hostInfo()
            #expect(host.cpus > 0)
            #expect(host.memoryKiB > 0)
            #expect(await backend.health().healthy)
            let name = uniqueName()
            let events = backend.events()
            try await withMachine(backend, smallSpec(fixture, name: name)) { _ in
                if backend.capabilities.contains(.stats) {
                    let idle = try await backend.stats(ofMachine: name)
                    #expect(idle.cpuTimeNanoseconds == 0)
                }
                _ = try await backend.perform(.start, onMachine: name)
                if backend.capabilities.contains(.stats) {
                    let stats = try await backend.stats(ofMachine: name)
                    #expect(stats.vcpus == 1)
                }
                if backend.capabilities.contains(.events) {
                    let started = Task {
                        for await event in events where event.machine.name == name && event.kind == .started {
                            return true
                        }
                        return false
                    }
                    let timeout = Task {
                        try await Task.sleep(for: .seconds(15))
                        started.cancel()
                    }
                    #expect(await started.value, "a started event arrives")
                    timeout.cancel()
                }
                _ = try await backend.perform(.poweroff, onMachine: name)
            }
        }
    }
}
