import PropertyBased
import Testing

@testable import VirtualizationServerDialect

@Suite("virtualization-server: name-based UUIDs")
struct NameBasedUUIDTests {
    static let dns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
    static let machine = "0f8fad5b-d9cb-469f-a165-70867728950e"

    /// Python's `uuid.uuid5(namespace, name)`: the values the earlier hand-written SHA-1 gave,
    /// pinned so that device UUIDs clients have seen do not change.
    static let reference: [(namespace: String, name: String, uuid: String)] = [
        (dns, "www.example.com", "2ed6657d-e927-568b-95e1-2665a8aea6a2"),
        (dns, "", "4ebd0208-8328-5d69-8c44-ec50939c0967"),
        (machine, "", "975d00b3-9ddf-58ea-afd0-1b562d082420"),
        (machine, "www.example.com", "84ee21f6-808e-570b-a38c-467bdef5addf"),
        (dns, "nic-52:54:00:12:34:56", "57a1c229-e791-58bb-999a-ed2ea4c9a272"),
        (machine, "nic-52:54:00:12:34:56", "34d08637-776b-5db1-84c2-177a40da9106"),
        (machine, "disk-vda", "b95f5167-be6b-59a8-b237-2b8b66b58123"),
        (dns, "ü€😀", "d5b5c62b-4571-5dca-accd-d9182d4e7da1"),
        (machine, String(repeating: "x", count: 200), "4892e956-9dc8-54b0-9474-fbc05dce781b"),
    ]

    @Test("matches RFC 4122 version-5 reference values (one and several SHA-1 blocks, UTF-8)")
    func reference() {
        for entry in Self.reference {
            #expect(NameBasedUUID.make(namespace: entry.namespace, name: entry.name) == entry.uuid, "\(entry.name)")
        }
        #expect(NameBasedUUID.make(namespace: "not-a-uuid", name: "x") == nil)
        #expect(NameBasedUUID.make(namespace: "0f8fad5b-d9cb-469f-a165-70867728950z", name: "x") == nil)
    }

    @Test("any name: stable, well-formed version 5, and the namespace matters")
    func properties() async {
        let names = Gen.latin1.string(of: 0...80)
        let namespaces = Gen<UInt8>.value(in: 0...255).array(of: 16).map { NameBasedUUID.format($0) }
        await propertyCheck(count: 300, input: names, namespaces) { name, namespace in
            let first = NameBasedUUID.make(namespace: namespace, name: name)
            #expect(first != nil)
            #expect(first == NameBasedUUID.make(namespace: namespace.uppercased(), name: name))
            guard let uuid = first else { return }
            let bytes = NameBasedUUID.bytes(of: uuid) ?? []
            #expect(bytes.count == 16 && uuid.count == 36)
            #expect(bytes[6] >> 4 == 5, "version 5")
            #expect(bytes[8] >> 6 == 0b10, "RFC 4122 variant")
            #expect(uuid != NameBasedUUID.make(namespace: namespace, name: name + "."))
            #expect(uuid != NameBasedUUID.make(namespace: namespace == Self.dns ? Self.machine : Self.dns, name: name))
        }
    }
}
