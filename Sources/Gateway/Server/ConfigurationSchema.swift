import Yams

/// The keys each section of the configuration allows, so a typo is reported with its line
/// instead of being silently ignored.
enum ConfigurationSchema {
    indirect enum Shape: Sendable {
        case scalar
        case map([String: Shape])
        case list(Shape)
        case freeMap
    }

    static let root: Shape = .map([
        "listen": .map(["host": .scalar, "port": .scalar]),
        "store": .map(["type": .scalar, "path": .scalar]),
        "backends": .list(
            .map([
                "name": .scalar, "type": .scalar, "uri": .scalar, "threads": .scalar, "keepaliveInterval": .scalar,
                "keepaliveCount": .scalar, "defaultPool": .scalar, "network": .scalar, "networkType": .scalar,
                "blankDiskGiB": .scalar, "domainType": .scalar, "sshKey": .scalar, "knownHosts": .scalar,
                "url": .scalar,
                "upstreamBackend": .scalar, "token": .scalar, "username": .scalar, "password": .scalar,
                "caFile": .scalar,
                "clientCertificate": .scalar, "clientKey": .scalar, "insecure": .scalar,
                "connectTimeoutSeconds": .scalar,
                "timeoutSeconds": .scalar, "pollIntervalSeconds": .scalar, "storageRoots": .list(.scalar),
                "seedVolumes": .list(
                    .map(["pool": .scalar, "name": .scalar, "capacityMiB": .scalar, "format": .scalar])),
            ])),
        "groups": .list(
            .map([
                "name": .scalar, "backends": .list(.scalar), "template": .scalar, "size": .scalar,
                "lifetimeHours": .scalar,
                "placement": .scalar, "aliases": .list(.scalar), "options": .freeMap,
            ])),
        "templates": .list(
            .map([
                "name": .scalar, "vcpus": .scalar, "memoryMiB": .scalar, "cdrom": .scalar, "osDistro": .scalar,
                "osVersion": .scalar, "network": .scalar, "graphics": .scalar, "icon": .scalar,
                "folder": .list(.scalar),
                "disks": .list(.map(["index": .scalar, "sizeGiB": .scalar, "pool": .scalar, "volume": .scalar])),
            ])),
        "dialects": .list(
            .map([
                "name": .scalar, "prefix": .scalar, "port": .scalar, "host": .scalar, "enabled": .scalar,
                "options": .freeMap,
            ])),
        "defaultGroup": .scalar, "callTimeoutSeconds": .scalar, "idleTimeoutSeconds": .scalar, "logLevel": .scalar,
        "benchmarkRoutes": .scalar, "auth": .scalar, "allowedHosts": .list(.scalar),
        "allowedOrigins": .list(.scalar),
        "users": .list(
            .map([
                "name": .scalar, "role": .scalar, "password": .scalar, "groups": .list(.scalar), "quota": quota,
            ])),
        "groupQuotas": .freeMap,
        "imports": .map(
            Dictionary(
                uniqueKeysWithValues: GatewayConfiguration.ImportSettings.keys.map {
                    ($0, $0.hasPrefix("allowed") ? Shape.list(.scalar) : .scalar)
                })),
    ])

    static let quota: Shape = .map(["machines": .scalar, "vcpus": .scalar, "memoryMiB": .scalar, "diskGiB": .scalar])

    static func check(_ node: Node, source: String) throws {
        try check(node, against: root, path: "", source: source)
    }

    private static func check(_ node: Node, against shape: Shape, path: String, source: String) throws {
        func fail(_ message: String) -> ConfigurationLoader.Failure {
            let line = node.mark.map { "line \($0.line), " } ?? ""
            return ConfigurationLoader.Failure(
                description: "\(source): \(line)key '\(path.isEmpty ? "(root)" : path)': \(message)")
        }
        switch shape {
        case .scalar:
            guard node.scalar != nil else { throw fail("expected a single value") }
        case .freeMap:
            guard node.mapping != nil else { throw fail("expected a mapping") }
        case .list(let element):
            guard let sequence = node.sequence else { throw fail("expected a list") }
            for (index, item) in sequence.enumerated() {
                try check(item, against: element, path: "\(path)[\(index)]", source: source)
            }
        case .map(let keys):
            guard let mapping = node.mapping else { throw fail("expected a mapping") }
            for (key, value) in mapping {
                let name = key.string ?? "?"
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                guard let child = keys[name] else {
                    let line = key.mark.map { "line \($0.line), " } ?? ""
                    throw ConfigurationLoader.Failure(
                        description:
                            "\(source): \(line)unknown key '\(childPath)'; expected one of \(keys.keys.sorted().joined(separator: ", "))"
                    )
                }
                if let scalar = value.scalar, ["", "~", "null"].contains(scalar.string) { continue }
                try check(value, against: child, path: childPath, source: source)
            }
        }
    }

    /// The line of the node at `keys`, as deep as it can be followed.
    static func line(of keys: [any CodingKey], in root: Node) -> Int? {
        var node = root
        for key in keys {
            if let index = key.intValue, let sequence = node.sequence, index < sequence.count {
                node = sequence[index]
            } else if let value = node.mapping?[Node(key.stringValue)] {
                node = value
            } else {
                break
            }
        }
        return node.mark?.line
    }
}
