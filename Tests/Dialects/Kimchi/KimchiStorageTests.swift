import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Kimchi: storage pools and volumes")
struct KimchiStorageTests {
    @Test("pools: list, create, deactivate, activate, delete; reserved and bad input")
    func pools() async throws {
        try await KimchiFixture.run { client, _ in
            let pools = try await client.list("/kimchi/storagepools")
            let vmgate = try #require(pools.first { $0["name"] as? String == "vmgate" })
            #expect(vmgate["state"] as? String == "active")
            #expect(vmgate["capacity"] as? Int == 102_400)
            let native = try #require(
                try await client.list("/api/v1/storage/pools").first { $0["name"] as? String == "vmgate" })
            #expect(vmgate["allocated"] as? Int == (native["allocationBytes"] as? Int ?? -1) >> 20)
            #expect(vmgate["available"] as? Int == (native["availableBytes"] as? Int ?? -1) >> 20)
            #expect(vmgate["nr_volumes"] as? Int == 2)
            #expect(vmgate["path"] as? String == "/vmgate-pool")
            #expect(vmgate["type"] as? String == "dir")

            let created = try await client.json(
                .post, "/kimchi/storagepools",
                json: #"{"name":"extra","path":"/var/lib/libvirt/images/vmgate-kimchi-extra","type":"dir"}"#,
                expect: .created)
            #expect(created["state"] as? String == "active")
            try await client.kimchiError(.delete, "/kimchi/storagepools/extra", expect: .conflict)
            let off = try await client.json(.post, "/kimchi/storagepools/extra/deactivate")
            #expect(off["state"] as? String == "inactive")
            #expect(off["nr_volumes"] as? Int == 0)
            #expect(try await client.json(.post, "/kimchi/storagepools/extra/activate")["state"] as? String == "active")
            _ = try await client.json(.post, "/kimchi/storagepools/extra/deactivate")
            #expect(try await client.send(.delete, "/kimchi/storagepools/extra").status == .noContent)
            try await client.kimchiError(.get, "/kimchi/storagepools/extra", expect: .notFound)

            try await client.kimchiError(
                .post, "/kimchi/storagepools", json: #"{"name":"kimchi_isos","path":"/tmp/x","type":"dir"}"#,
                expect: .badRequest)
            try await client.kimchiError(
                .post, "/kimchi/storagepools", json: #"{"name":"lv","path":"/dev/vg","type":"logical"}"#,
                expect: .badRequest)
            try await client.kimchiError(
                .post, "/kimchi/storagepools", json: #"{"name":"rel","path":"relative","type":"dir"}"#,
                expect: .badRequest)
            try await client.kimchiError(
                .post, "/kimchi/storagepools", json: #"{"name":"bad/name","path":"/tmp/x","type":"dir"}"#,
                expect: .badRequest)
            try await client.kimchiError(
                .post, "/kimchi/storagepools",
                json: #"{"name":"vmgate","path":"/var/lib/libvirt/images/y","type":"dir"}"#,
                expect: .conflict)
            try await client.kimchiError(.post, "/kimchi/storagepools/vmgate/explode", expect: .badRequest)
            try await client.kimchiError(.delete, "/kimchi/storagepools/kimchi_isos", expect: .badRequest)
        }
    }

    @Test("volumes: create, read, list with users, delete; resize and wipe need the backend's support")
    func volumes() async throws {
        try await KimchiFixture.run { client, _ in
            let created = try await client.json(
                .post, "/kimchi/storagepools/vmgate/storagevolumes",
                json: #"{"name":"v1.qcow2","capacity":64,"format":"qcow2","type":"file"}"#, expect: .created)
            #expect(created["capacity"] as? Int == 64)
            #expect(created["format"] as? String == "qcow2")
            #expect(created["path"] as? String == "/vmgate-pool/v1.qcow2")
            #expect(created["os_distro"] == nil, "only ISO volumes report an OS")
            let one = try await client.json(.get, "/kimchi/storagepools/vmgate/storagevolumes/v1.qcow2")
            #expect(one["used_by"] as? [String] == [])
            let list = try await client.list("/kimchi/storagepools/vmgate/storagevolumes")
            let base = try #require(list.first { $0["name"] as? String == "base.qcow2" })
            #expect(base["used_by"] as? [String] == ["fixture-one"])
            try await client.kimchiError(
                .delete, "/kimchi/storagepools/vmgate/storagevolumes/base.qcow2", expect: .conflict)

            // The test driver cannot resize or wipe: 501 in Kimchi's format, and no task.
            let tasks = try await client.list("/kimchi/tasks").count
            try await client.kimchiError(
                .post, "/kimchi/storagepools/vmgate/storagevolumes/v1.qcow2/resize", json: #"{"size":128}"#,
                expect: .notImplemented)
            try await client.kimchiError(
                .post, "/kimchi/storagepools/vmgate/storagevolumes/v1.qcow2/wipe", expect: .notImplemented)
            try await client.kimchiError(
                .post, "/kimchi/storagepools/vmgate/storagevolumes/v1.qcow2/shred", expect: .badRequest)
            #expect(try await client.list("/kimchi/tasks").count == tasks)

            for bad in [
                #"{"name":"v2","capacity":-1}"#, #"{"name":"v2","capacity":0}"#,
                #"{"name":"v2","capacity":99999999999999}"#,
                #"{"name":"v 2","capacity":1}"#, #"{"name":"v2","capacity":1,"format":"vmdk"}"#,
                #"{"name":"v2","capacity":1,"type":"block"}"#, #"{"capacity":1}"#,
            ] {
                try await client.kimchiError(
                    .post, "/kimchi/storagepools/vmgate/storagevolumes", json: bad, expect: .badRequest)
            }
            try await client.kimchiError(
                .post, "/kimchi/storagepools/vmgate/storagevolumes", json: #"{"name":"v1.qcow2","capacity":1}"#,
                expect: .conflict)
            try await client.kimchiError(.get, "/kimchi/storagepools/nowhere/storagevolumes", expect: .notFound)

            #expect(
                try await client.send(.delete, "/kimchi/storagepools/vmgate/storagevolumes/v1.qcow2").status
                    == .noContent)
            try await client.kimchiError(.get, "/kimchi/storagepools/vmgate/storagevolumes/v1.qcow2", expect: .notFound)
        }
    }

    @Test("kimchi_isos aggregates the ISO volumes of active pools; unreadable images report unknown")
    func isoPool() async throws {
        try await KimchiFixture.run { client, _ in
            _ = try await client.json(
                .post, "/kimchi/storagepools/vmgate/storagevolumes",
                json: #"{"name":"install.iso","capacity":4,"format":"raw"}"#,
                expect: .created)
            let pool = try await client.json(.get, "/kimchi/storagepools/kimchi_isos")
            #expect(pool["type"] as? String == "kimchi-iso")
            #expect(pool["nr_volumes"] as? Int == 1)
            let isos = try await client.list("/kimchi/storagepools/kimchi_isos/storagevolumes")
            #expect(isos.map { $0["name"] as? String } == ["install.iso"])
            let iso = try #require(isos.first)
            #expect(iso["pool"] as? String == "vmgate")
            // The test driver's volumes are not real files: nothing can be read, and it says so.
            #expect(iso["os_distro"] as? String == "unknown")
            #expect(iso["os_version"] as? String == "unknown")
            #expect(iso["bootable"] as? Bool == false)
            _ = try await client.json(.get, "/kimchi/storagepools/kimchi_isos/storagevolumes/install.iso")
            try await client.kimchiError(
                .post, "/kimchi/storagepools/kimchi_isos/storagevolumes", json: #"{"name":"x.iso","capacity":1}"#,
                expect: .badRequest)
            try await client.kimchiError(
                .get, "/kimchi/storagepools/kimchi_isos/storagevolumes/data.raw", expect: .notFound)
        }
    }
}
