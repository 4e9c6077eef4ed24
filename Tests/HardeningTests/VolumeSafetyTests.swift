import Foundation
import Gateway
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A volume is deleted only if the gateway created it and nothing uses it: no machine, no
/// template, no released machine, and no overlay that has it as its backing file.
@Suite("Hardening: volume deletion")
struct VolumeSafetyTests {
    static func configuration() -> GatewayConfiguration {
        var config = TestGateway.configuration()
        config.dialects = try! ConfigurationLoader.parse("dialects: [{name: native}, {name: kimchi}, {name: comet}]")
            .dialects
        return config
    }

    @Test("a template's base image and a volume the gateway did not create are not deleted")
    func templateBase() async throws {
        try await TestGateway.run(Self.configuration()) { client, _ in
            for path in [
                "/api/v1/storage/pools/vmgate/volumes/base.qcow2",
                "/kimchi/storagepools/vmgate/storagevolumes/base.qcow2",
                "/api/v1/storage/pools/vmgate/volumes/data.raw",
            ] {
                let reply = try await client.send(.delete, path)
                #expect(reply.status == .conflict, "\(path): \(String(buffer: reply.body))")
            }
            _ = try await client.json(.get, "/api/v1/storage/pools/vmgate/volumes/base.qcow2")
            _ = try await client.json(.get, "/api/v1/storage/pools/vmgate/volumes/data.raw")
        }
    }

    @Test("a volume used by a template, or as an overlay's backing file, is kept until that use ends")
    func templatesAndBackingFiles() async throws {
        try await TestGateway.run(Self.configuration()) { client, _ in
            let volumes = "/api/v1/storage/pools/vmgate/volumes"
            _ = try await client.json(
                .post, volumes, json: #"{"name":"b2.qcow2","capacityBytes":1048576}"#, expect: .created)
            _ = try await client.json(
                .post, "/api/v1/templates",
                json: #"{"name":"t2","disks":[{"index":0,"pool":"vmgate","volume":"b2.qcow2"}]}"#,
                expect: .created)
            var reply = try await client.send(.delete, "\(volumes)/b2.qcow2")
            #expect(reply.status == .conflict)
            #expect(String(buffer: reply.body).contains("template 't2'"))
            _ = try await client.json(
                .post, "/api/v1/machines", json: #"{"name":"m2","template":"t2"}"#, expect: .created)
            #expect(try await client.send(.delete, "/api/v1/templates/t2").status == .noContent)
            reply = try await client.send(.delete, "\(volumes)/b2.qcow2")
            #expect(reply.status == .conflict)
            #expect(String(buffer: reply.body).contains("m2"), "\(String(buffer: reply.body))")
            #expect(try await client.send(.delete, "/api/v1/machines/m2").status == .noContent)
            #expect(try await client.send(.delete, "\(volumes)/b2.qcow2").status == .noContent)
        }
    }

    @Test("deleting Comet VM 'a' keeps the disks of released VM 'a-vda.x'")
    func cometNamePrefix() async throws {
        try await TestGateway.run(Self.configuration()) { client, _ in
            _ = try await client.json(.post, "/comet/cluster", json: #"{"name":"c1","size":0}"#, expect: .created)
            _ = try await client.json(.post, "/comet/cluster/c1/vms", json: #"{"name":"a-vda.x"}"#, expect: .created)
            let kept = try #require(
                try await client.json(.get, "/api/v1/machines/a-vda.x")["disks"] as? [[String: Any]]
            ).compactMap { $0["volume"] as? String }
            #expect(!kept.isEmpty)
            _ = try await client.json(.post, "/comet/cluster/c1/vms/a-vda.x/stop", json: #"{"timeout":0}"#)
            _ = try await client.json(.post, "/comet/cluster/c1/vms", json: #"{"name":"a"}"#, expect: .created)
            #expect(try await client.send(.delete, "/comet/cluster/c1/vms/a").status == .noContent)
            for volume in kept {
                _ = try await client.json(.get, "/api/v1/storage/pools/vmgate/volumes/\(volume)")
                let reply = try await client.send(.delete, "/api/v1/storage/pools/vmgate/volumes/\(volume)")
                #expect(reply.status == .conflict, "a released VM's disk must not be deletable")
            }
            let started = try await client.json(.post, "/comet/cluster/c1/vms/a-vda.x/start")
            #expect(started["released"] as? Bool == false)
        }
    }

    @Test("a writable disk is attached only when nothing else uses it")
    func attachInUse() async throws {
        try await TestGateway.run(Self.configuration()) { client, _ in
            _ = try await client.json(.post, "/api/v1/machines", json: #"{"name":"owner"}"#, expect: .created)
            _ = try await client.json(.post, "/api/v1/machines", json: #"{"name":"intruder"}"#, expect: .created)
            let disk = try #require(
                (try await client.json(.get, "/api/v1/machines/owner")["disks"] as? [[String: Any]])?.first)
            let volume = try #require(disk["volume"] as? String)
            for target in [volume, "base.qcow2"] {
                let reply = try await client.send(
                    .post, "/api/v1/machines/intruder/disks", json: #"{"pool":"vmgate","volume":"\#(target)"}"#)
                #expect(reply.status == .conflict, "\(target): \(String(buffer: reply.body))")
            }
            _ = try await client.json(
                .post, "/api/v1/storage/pools/vmgate/volumes", json: #"{"name":"free.qcow2","capacityBytes":1048576}"#,
                expect: .created)
            let free = try await client.send(
                .post, "/api/v1/machines/intruder/disks", json: #"{"pool":"vmgate","volume":"free.qcow2"}"#)
            #expect(free.status == .notImplemented, "the test driver cannot attach; the check let it through")
        }
    }
}
