import Testing

@testable import VirtualizationServerDialect

@Suite("virtualization-server: name-based UUIDs")
struct NameBasedUUIDTests {
    @Test("matches RFC 4122 version-5 reference values")
    func reference() {
        // The DNS namespace and "www.example.com" (Python: uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com")).
        #expect(
            NameBasedUUID.make(namespace: "6ba7b810-9dad-11d1-80b4-00c04fd430c8", name: "www.example.com")
                == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
        #expect(NameBasedUUID.make(namespace: "not-a-uuid", name: "x") == nil)
    }

    @Test("SHA-1 of multi-block input")
    func sha1() {
        let digest = SHA1.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        let hex = digest.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
        #expect(hex == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }
}
