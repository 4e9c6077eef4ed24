import Fetch
import Foundation
import GatewayTestSupport
import Spec
import Testing

/// http(s) imports: every address vetted (and again after each redirect), the connection pinned
/// to it, the body streamed to a file under a byte cap and a deadline. Only 127.0.0.1 is ever
/// contacted; every other address is refused before a connection is made.
@Suite("Image downloads")
struct ImageDownloaderTests {
    /// The default policy plus the loopback address of the test server.
    static func local(maxBytes: Int = 8 << 20, timeout: Double = 20, hosts: [String] = []) -> FetchPolicy {
        FetchPolicy(
            allowedHosts: hosts, allowedNetworks: [IPNetwork("127.0.0.1/32")!], maxBytes: maxBytes,
            timeoutSeconds: timeout, maxRedirects: 3)
    }

    /// Downloads into a fresh temporary file; returns the outcome and the file's contents.
    static func download(_ url: String, _ policy: FetchPolicy) async -> (Result<Int, SpecError>, Data) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dl-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: file) }
        let result: Result<Int, SpecError>
        do { result = .success(try await ImageDownloader.download(url, policy: policy, to: file.path).byteCount) } catch
        {
            result = .failure(SpecError.wrap(error))
        }
        return (result, (try? Data(contentsOf: file)) ?? Data())
    }

    static func refusal(_ result: Result<Int, SpecError>) -> SpecError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test(
        "loopback, link-local, private, CGNAT, multicast and unspecified addresses are refused by default",
        arguments: [
            "http://127.0.0.1:9/x", "http://localhost:9/x", "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:9/", "http://[::ffff:127.0.0.1]:9/", "http://[::ffff:169.254.169.254]/", "http://0.0.0.0:9/",
            "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/", "http://100.64.0.1/", "http://224.0.0.1/",
            "http://[fe80::1]/", "http://[fd00::1]/", "http://[::]/", "https://127.0.0.2/", "http://2130706433/",
        ])
    func refusedAddresses(_ url: String) async throws {
        await #expect(throws: SpecError.self) { try await ImageDownloader.vet(url, policy: FetchPolicy()) }
        let (result, data) = await Self.download(url, FetchPolicy())
        let error = try #require(Self.refusal(result))
        #expect(error.kind == .invalid, "\(error)")
        #expect(data.isEmpty)
    }

    @Test("an operator-allowed network, allowed hosts and other schemes")
    func allowLists() async throws {
        let images = try TestImages()
        defer { images.remove() }
        let bytes = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: images.directory.appendingPathComponent("a.raw"))
        try await ImageServer.run(directory: images.directory) { port in
            let url = "http://127.0.0.1:\(port)/files/a.raw"
            let (refused, _) = await Self.download(url, FetchPolicy())
            #expect(Self.refusal(refused)?.message.contains("loopback") == true, "\(refused)")

            let (fetched, data) = await Self.download(url, Self.local())
            #expect((try? fetched.get()) == bytes.count)
            #expect(data == Data(bytes), "the body arrives byte for byte")

            let (otherHost, _) = await Self.download(url, Self.local(hosts: ["images.example.com"]))
            #expect(Self.refusal(otherHost)?.message.contains("not one of the hosts") == true, "\(otherHost)")
            let (listed, _) = await Self.download(url, Self.local(hosts: ["127.0.0.1"]))
            #expect((try? listed.get()) == bytes.count)
            var loopback = Self.local()
            loopback.allowedNetworks.append(IPNetwork("::1/128")!)
            let (localhost, _) = await Self.download("http://localhost:\(port)/files/a.raw", loopback)
            #expect((try? localhost.get()) == bytes.count, "a name resolving to allowed addresses only")

            for scheme in ["ftp", "file", "gopher", "dict"] {
                let (other, _) = await Self.download("\(scheme)://127.0.0.1:\(port)/files/a.raw", Self.local())
                #expect(Self.refusal(other)?.kind == .invalid, "\(scheme): \(other)")
            }
        }
    }

    @Test("redirects are followed by the gateway, each target checked like the first")
    func redirects() async throws {
        let images = try TestImages()
        defer { images.remove() }
        try images.raw("a.raw")
        try await ImageServer.run(directory: images.directory) { port in
            let base = "http://127.0.0.1:\(port)"
            let (relative, data) = await Self.download("\(base)/redirect?to=/files/a.raw", Self.local())
            #expect((try? relative.get()) == 1 << 20)
            #expect(data.count == 1 << 20)
            for target in [
                "http://169.254.169.254/latest/meta-data/", "http://127.0.0.2:\(port)/files/a.raw",
                "http://[::1]:\(port)/files/a.raw", "file:///etc/passwd",
            ] {
                let (result, body) = await Self.download("\(base)/redirect?to=\(target)", Self.local())
                let error = try #require(Self.refusal(result), "\(target)")
                #expect(error.kind == .invalid, "\(target): \(error)")
                #expect(body.isEmpty, "nothing of a refused redirect is kept")
            }
            let loop = "\(base)/redirect?to=/redirect%3Fto=/redirect%3Fto=/redirect%3Fto=/redirect%3Fto=/files/a.raw"
            let (tooMany, _) = await Self.download(loop, Self.local())
            #expect(Self.refusal(tooMany)?.message.contains("redirects") == true, "\(tooMany)")
            let (missing, _) = await Self.download("\(base)/missing", Self.local())
            #expect(Self.refusal(missing)?.message.contains("404") == true, "\(missing)")
        }
    }

    @Test("a body past the cap is cut off while it streams, without holding it in memory")
    func byteCap() async throws {
        try await ImageServer.run { port in
            let body = 1 << 30
            let cap = 32 << 20
            let (outcome, growth) = await ResidentMemory.peakGrowth {
                await Self.download("http://127.0.0.1:\(port)/big?bytes=\(body)", Self.local(maxBytes: cap))
            }
            let (result, data) = outcome
            let error = try #require(Self.refusal(result))
            #expect(error.kind == .invalid)
            #expect(error.message.contains("larger than \(cap) bytes"), "\(error)")
            #expect(data.count <= cap, "writing stops at the cap")
            #expect(growth < 160 << 20, "resident memory grew by \(growth >> 20) MiB for a 1 GiB body")

            let (announced, empty) = await Self.download(
                "http://127.0.0.1:\(port)/sized?bytes=\(64 << 20)", Self.local(maxBytes: 8 << 20))
            #expect(Self.refusal(announced)?.message.contains("larger than") == true, "\(announced)")
            #expect(empty.isEmpty, "an announced length past the cap is refused before the body")
        }
    }

    @Test("one deadline covers the whole transfer")
    func deadline() async throws {
        try await ImageServer.run { port in
            let started = ContinuousClock.now
            let (result, _) = await Self.download("http://127.0.0.1:\(port)/slow", Self.local(timeout: 1))
            #expect(Self.refusal(result)?.kind == .unavailable, "\(result)")
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test("addresses and networks parse strictly and match IPv4-mapped IPv6 as IPv4")
    func addresses() {
        #expect(IPAddress("::ffff:127.0.0.1") == IPAddress("127.0.0.1"))
        #expect(IPAddress("[fe80::1]")?.description == "fe80::1")
        #expect(IPAddress("2001:db8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
        for bad in ["127.1", "0x7f.0.0.1", "0177.0.0.1", "1.2.3.4.5", "fe80::1%eth0", "::1::2", "256.1.1.1", ""] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
        #expect(IPNetwork("10.0.0.0/8")?.contains(IPAddress("10.255.1.2")!) == true)
        #expect(IPNetwork("10.0.0.0/8")?.contains(IPAddress("11.0.0.1")!) == false)
        #expect(IPNetwork("10.0.0.1/8") == nil, "bits past the prefix")
        #expect(IPNetwork("fc00::/7")?.contains(IPAddress("fdff::1")!) == true)
        #expect(IPNetwork("127.0.0.1/33") == nil)
        let policy = FetchPolicy()
        #expect(policy.refusal(of: IPAddress("93.184.216.34")!) == nil, "a public address")
        #expect(policy.refusal(of: IPAddress("2606:4700::1111")!) == nil, "a public IPv6 address")
        #expect(policy.refusal(of: IPAddress("100.127.255.255")!) != nil, "CGNAT")
    }
}
