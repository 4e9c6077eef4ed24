public import Foundation
import Spec
import Yams

/// Reads, checks and completes a ``GatewayConfiguration``.
public enum ConfigurationLoader {
    /// A configuration problem, naming the file, line and key where it can.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Loads `path` (or the embedded default when nil), then applies environment overrides.
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> GatewayConfiguration
    {
        var config: GatewayConfiguration
        if let path {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Failure(description: "cannot read configuration file '\(path)'")
            }
            config = try parse(text, source: path)
        } else {
            config = .embeddedDefault
        }
        try applyOverrides(&config, environment: environment)
        try validate(config)
        return config
    }

    /// Parses YAML text; unknown keys and wrong types are errors with their line.
    public static func parse(_ text: String, source: String = "configuration") throws -> GatewayConfiguration {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw Failure(description: "\(source): \(error)")
        }
        guard let node else { return GatewayConfiguration() }
        try ConfigurationSchema.check(node, source: source)
        do {
            return try YAMLDecoder().decode(GatewayConfiguration.self, from: node)
        } catch let error as DecodingError {
            throw Failure(description: "\(source): \(describe(error, in: node))")
        }
    }

    static func describe(_ error: DecodingError, in root: Node) -> String {
        let (keys, detail): ([any CodingKey], String) =
            switch error {
            case .typeMismatch(let type, let context): (context.codingPath, "expected \(type)")
            case .valueNotFound(let type, let context): (context.codingPath, "missing \(type) value")
            case .keyNotFound(let key, let context): (context.codingPath + [key], "required key is missing")
            case .dataCorrupted(let context): (context.codingPath, context.debugDescription)
            @unknown default: ([], "\(error)")
            }
        let joined: String = keys.map { key -> String in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
            .joined()
        let path = joined.hasPrefix(".") ? String(joined.dropFirst()) : joined
        let line = ConfigurationSchema.line(of: keys, in: root).map { "line \($0), " } ?? ""
        return "\(line)key '\(path)': \(detail)"
    }

    /// `VMGATE_HOST`, `VMGATE_PORT`, `VMGATE_STORE_PATH`, `VMGATE_LOG_LEVEL` and
    /// `VMGATE_BACKEND_<NAME>_URI` (a proxy backend's `url`) override the file.
    static func applyOverrides(_ config: inout GatewayConfiguration, environment: [String: String]) throws {
        if let host = environment["VMGATE_HOST"] { config.listen.host = host }
        if let port = environment["VMGATE_PORT"] {
            guard let value = Int(port), (0...65_535).contains(value) else {
                throw Failure(description: "VMGATE_PORT must be a port number (0–65535), not '\(port)'")
            }
            config.listen.port = value
        }
        if let path = environment["VMGATE_STORE_PATH"] { config.store.path = path }
        if let level = environment["VMGATE_LOG_LEVEL"] { config.logLevel = level }
        for index in config.backends.indices {
            let key =
                "VMGATE_BACKEND_" + config.backends[index].name.uppercased().replacingOccurrences(of: "-", with: "_")
                + "_URI"
            if let uri = environment[key] {
                if config.backends[index].type == "proxy" {
                    config.backends[index].url = uri
                } else {
                    config.backends[index].uri = uri
                }
            }
        }
    }

    /// Checks cross-references: backend kinds and names, groups' backends, templates.
    public static func validate(_ config: GatewayConfiguration) throws {
        try validateNumbers(config)
        guard config.store.type == "sqlite" else {
            throw Failure(description: "store.type '\(config.store.type)' is not supported (sqlite)")
        }
        var backendNames = Set<String>()
        for (index, backend) in config.backends.enumerated() {
            try check(index, "backends", backend.name, &backendNames)
            switch backend.type {
            case "libvirt":
                guard backend.uri?.isEmpty == false else {
                    throw Failure(description: "backends[\(index)].uri is required")
                }
            case "proxy":
                guard let url = backend.url, url.hasPrefix("http://") || url.hasPrefix("https://") else {
                    throw Failure(
                        description: "backends[\(index)].url is required for a proxy backend (http:// or https://)")
                }
                guard backend.upstreamBackend?.isEmpty == false else {
                    throw Failure(description: "backends[\(index)].upstreamBackend is required for a proxy backend")
                }
            default:
                throw Failure(
                    description: "backends[\(index)].type '\(backend.type)' is not supported (libvirt, proxy)")
            }
        }
        var groupNames = Set<String>()
        for (index, group) in config.groups.enumerated() {
            try check(index, "groups", group.name, &groupNames)
            for backend in group.backends ?? [] where !backendNames.contains(backend) {
                throw Failure(description: "groups[\(index)].backends: no backend named '\(backend)'")
            }
            if let placement = group.placement, Group.Placement(rawValue: placement) == nil {
                throw Failure(
                    description:
                        "groups[\(index)].placement '\(placement)' is not one of most-free-memory, round-robin, pinned")
            }
        }
        var templateNames = Set<String>()
        for (index, template) in config.templates.enumerated() {
            try check(index, "templates", template.name, &templateNames)
        }
        if let group = config.defaultGroup, !groupNames.contains(group) {
            throw Failure(description: "defaultGroup: no group named '\(group)'")
        }
        _ = try config.imports?.resolved()
    }

    private static func check(_ index: Int, _ section: String, _ name: String, _ seen: inout Set<String>) throws {
        do { try NameRules.validate(name) } catch let error as SpecError {
            throw Failure(description: "\(section)[\(index)].name: \(error.message)")
        }
        guard seen.insert(name).inserted else {
            throw Failure(description: "\(section)[\(index)].name: '\(name)' appears twice")
        }
    }
}
