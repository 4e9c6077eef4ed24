import Foundation
import GatewayTestSupport
import Testing

@testable import Gateway

@Suite("Configuration")
struct ConfigurationTests {
    @Test("the committed examples parse and validate")
    func examples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let examples = root.appendingPathComponent("examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".yaml") }
        #expect(!files.isEmpty)
        for file in files {
            let config = try ConfigurationLoader.load(
                path: examples.appendingPathComponent(file).path, environment: [:])
            #expect(!config.backends.isEmpty, "\(file)")
        }
    }

    @Test("the embedded default is valid and mounts the native API")
    func embedded() throws {
        let config = try ConfigurationLoader.load(path: nil, environment: [:])
        #expect(config.backends.first?.uri == "test:///default")
        #expect(config.store.path == "./data/vmgate.sqlite")
        #expect(config.dialects.contains { $0.name == "native" })
    }

    @Test("unknown keys are reported with their line")
    func unknownKey() {
        let yaml = "listen:\n  host: 127.0.0.1\nbackends:\n  - name: a\n    uri: test:///default\n    urii: x\n"
        #expect {
            try ConfigurationLoader.parse(yaml)
        } throws: { error in
            "\(error)".contains("line 6") && "\(error)".contains("backends[0].urii")
        }
    }

    @Test("wrong types name the key and line")
    func wrongType() {
        #expect {
            try ConfigurationLoader.parse("listen:\n  port: eighty\n")
        } throws: { error in
            "\(error)".contains("listen.port") && "\(error)".contains("line 2")
        }
    }

    @Test("cross references are checked")
    func crossReferences() throws {
        let yaml = "backends: [{name: a, uri: 'test:///default'}]\ngroups: [{name: g, backends: [b]}]\n"
        var config = try ConfigurationLoader.parse(yaml)
        #expect { try ConfigurationLoader.validate(config) } throws: { "\($0)".contains("no backend named 'b'") }
        config.groups[0].backends = ["a"]
        config.defaultGroup = "zzz"
        #expect { try ConfigurationLoader.validate(config) } throws: { "\($0)".contains("defaultGroup") }
    }

    @Test("environment variables override the file")
    func overrides() throws {
        let config = try ConfigurationLoader.load(
            path: nil,
            environment: [
                "VMGATE_PORT": "9999", "VMGATE_HOST": "127.0.0.2", "VMGATE_STORE_PATH": ":memory:",
                "VMGATE_BACKEND_LOCAL_URI": "test:///other",
            ])
        #expect(config.listen.port == 9999)
        #expect(config.listen.host == "127.0.0.2")
        #expect(config.store.path == ":memory:")
        #expect(config.backends[0].uri == "test:///other")
        #expect(throws: ConfigurationLoader.Failure.self) {
            try ConfigurationLoader.load(path: nil, environment: ["VMGATE_PORT": "x"])
        }
    }
}
