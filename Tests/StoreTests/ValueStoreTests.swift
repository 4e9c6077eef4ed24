import Foundation
import Spec
import Store
import Testing

@Suite("Dialect values")
struct ValueStoreTests {
    @Test("set, get, replace, delete with nil, namespaces are isolated")
    func roundTrip() async throws {
        let store = try SQLiteStore.inMemory()
        let one = Data("one".utf8)
        let two = Data([0x00, 0xFF, 0x10])
        #expect(try await store.value(namespace: "proxmox", key: "a") == nil)

        try await store.setValue(one, namespace: "proxmox", key: "a")
        try await store.setValue(two, namespace: "proxmox", key: "b")
        try await store.setValue(two, namespace: "vsphere", key: "a")
        #expect(try await store.value(namespace: "proxmox", key: "a") == one)
        #expect(try await store.value(namespace: "vsphere", key: "a") == two)
        #expect(try await store.values(namespace: "proxmox") == ["a": one, "b": two])
        #expect(try await store.values(namespace: "vsphere") == ["a": two])
        #expect(try await store.values(namespace: "other").isEmpty)

        try await store.setValue(two, namespace: "proxmox", key: "a")
        #expect(try await store.value(namespace: "proxmox", key: "a") == two)

        try await store.setValue(nil, namespace: "proxmox", key: "a")
        #expect(try await store.value(namespace: "proxmox", key: "a") == nil)
        #expect(try await store.values(namespace: "proxmox") == ["b": two])
        #expect(try await store.value(namespace: "vsphere", key: "a") == two)
        // Deleting what is not there is fine.
        try await store.setValue(nil, namespace: "proxmox", key: "missing")
    }

    @Test("empty data is a value, not a deletion")
    func emptyData() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.setValue(Data(), namespace: "ns", key: "k")
        #expect(try await store.value(namespace: "ns", key: "k") == Data())
    }
}
