import Foundation
import GatewayCore
import Spec

/// JSON schemas of the native API. Responses are closed (`additionalProperties: false`) and
/// list what is always present as `required`; request bodies are open, because the server
/// ignores fields it does not know. Bounds come from ``Limits`` and ``NameRules``.
extension NativeOpenAPI {
    static var schemas: [String: Any] {
        responseSchemas.merging(requestSchemas) { first, _ in first }.merging(identitySchemas) { first, _ in first }
    }

    static var responseSchemas: [String: Any] {
        [
            "Error": closed(
                [
                    "error": closed(
                        [
                            "code": ["type": "integer", "minimum": 400, "maximum": 599],
                            "kind": ["type": "string", "enum": SpecError.Kind.allCases.map(\.rawValue)],
                            "message": string,
                        ], required: ["code", "kind", "message"])
                ], required: ["error"]),
            "Machine": closed(
                [
                    "id": string, "uuid": string, "name": string, "backend": string,
                    "state": ["type": "string", "enum": MachineState.allCases.map(\.rawValue)],
                    "vcpus": integer, "memoryMiB": integer, "group": string, "template": string, "owner": string,
                    "tags": stringMap,
                    "lifetimeHours": number, "expiresAt": dateTime, "createdAt": dateTime,
                    "disks": array(ref("MachineDisk")), "nics": array(ref("MachineNIC")),
                    "graphics": array(ref("GraphicsConsole")), "serialConsole": boolean, "persistent": boolean,
                    "links": closed(
                        ["self": string, "screenshot": string, "snapshots": string],
                        required: ["self", "screenshot", "snapshots"]),
                ],
                required: [
                    "id", "uuid", "name", "backend", "state", "vcpus", "memoryMiB", "tags", "disks", "nics",
                    "graphics", "serialConsole", "persistent", "links",
                ]),
            "MachineDisk": closed(
                [
                    "target": string, "device": string, "bus": string, "format": string, "path": string,
                    "pool": string, "volume": string, "capacityBytes": integer, "ownedByGateway": boolean,
                ], required: ["target", "device", "ownedByGateway"]),
            "MachineNIC": closed(
                [
                    "mac": string, "sourceType": string, "source": string, "model": string, "hostDevice": string,
                    "addresses": array(string),
                ], required: ["mac", "sourceType", "source", "addresses"]),
            "GraphicsConsole": closed(["type": string, "port": integer, "listen": string], required: ["type"]),
            "MachinePage": closed(
                [
                    "items": array(ref("Machine")), "total": counter, "offset": counter, "limit": counter,
                    "warnings": array(string),
                ], required: ["items", "total", "offset", "warnings"]),
            "MachineStats": closed(
                [
                    "sampledAt": dateTime, "cpuTimeNanoseconds": counter, "vcpus": integer, "netBytes": counter,
                    "diskBytes": counter,
                ], required: ["sampledAt", "cpuTimeNanoseconds", "vcpus", "netBytes", "diskBytes"]),
            "Snapshot": closed(
                [
                    "name": string, "machine": string, "createdAt": dateTime, "parent": string,
                    "state": ["type": "string", "enum": MachineState.allCases.map(\.rawValue)],
                    "description": string, "isCurrent": boolean, "diskOnly": boolean,
                ], required: ["name", "machine", "createdAt", "state", "isCurrent", "diskOnly"]),
            "Group": closed(
                [
                    "name": string, "backends": array(string), "template": string, "size": counter,
                    "lifetimeHours": number, "placement": string, "aliases": array(string), "machines": counter,
                ], required: ["name", "backends", "size", "placement", "aliases"]),
            "GroupRouting": closed(
                [
                    "name": string, "backends": array(string), "routedMachines": counter,
                    "unreachableMachines": array(
                        closed(["id": string, "backend": string, "name": string], required: ["id", "backend", "name"])),
                    "warnings": array(string),
                ], required: ["name", "backends", "routedMachines", "unreachableMachines", "warnings"]),
            "StoragePool": closed(
                [
                    "name": string, "backend": string, "active": boolean, "type": string, "path": string,
                    "capacityBytes": counter, "allocationBytes": counter, "availableBytes": counter,
                    "volumeCount": counter, "autostart": boolean,
                ],
                required: [
                    "name", "backend", "active", "type", "capacityBytes", "allocationBytes", "availableBytes",
                    "volumeCount", "autostart",
                ]),
            "StorageVolume": closed(
                [
                    "name": string, "pool": string, "backend": string, "path": string, "type": string,
                    "format": string, "capacityBytes": counter, "allocationBytes": counter, "backingPath": string,
                ],
                required: ["name", "pool", "backend", "path", "type", "format", "capacityBytes", "allocationBytes"]),
            "Task": closed(
                [
                    "id": string, "kind": string, "target": string,
                    "status": ["type": "string", "enum": TaskRecord.Status.allCases.map(\.rawValue)],
                    "progress": ["type": "integer", "minimum": 0, "maximum": 100], "message": string,
                    "createdAt": dateTime, "updatedAt": dateTime, "owner": string,
                ], required: ["id", "kind", "target", "status", "progress", "message", "createdAt", "updatedAt"]),
            "BackendStatus": closed(
                [
                    "name": string, "kind": string, "endpoint": string, "capabilities": array(string),
                    "health": closed(
                        [
                            "healthy": boolean, "lastError": string, "lastErrorAt": dateTime,
                            "latencySeconds": number,
                        ], required: ["healthy"]),
                    "host": closed(
                        [
                            "hostname": string, "hypervisor": string, "cpus": counter, "memoryKiB": counter,
                            "freeMemoryKiB": counter, "freeStorageBytes": counter,
                        ],
                        required: ["hostname", "hypervisor", "cpus", "memoryKiB", "freeMemoryKiB", "freeStorageBytes"]),
                    "machines": ["type": "object", "additionalProperties": counter],
                ], required: ["name", "kind", "endpoint", "capabilities", "health"]),
            "OpenAPIDocument": [
                "type": "object", "required": ["openapi", "info", "paths"],
                "properties": ["openapi": ["type": "string", "pattern": "^3\\.1\\."]],
            ],
        ]
    }

    static var requestSchemas: [String: Any] {
        [
            "CreateMachine": open([
                "name": name, "template": string, "group": string, "backend": string, "vcpus": vcpus,
                "memoryMiB": memoryMiB, "storagePool": name, "network": name, "diskGiB": diskGiB,
                "tags": tags, "lifetimeHours": hours, "start": boolean,
            ]),
            "UpdateMachine": open([
                "vcpus": vcpus, "memoryMiB": memoryMiB, "tags": tags, "lifetimeHours": hours, "group": string,
            ]),
            "Template": open(
                [
                    "name": name, "vcpus": vcpus, "memoryMiB": memoryMiB, "cdrom": string, "icon": string,
                    "osDistro": string, "osVersion": string, "network": name, "graphics": string,
                    "folder": array(string),
                    "disks": array(
                        open(
                            [
                                "index": ["type": "integer", "minimum": 0, "maximum": Int.max], "sizeGiB": diskGiB,
                                "pool": name, "volume": name,
                            ], required: ["index"]
                        ).merging([
                            // A disk is a blank one of a size, or an overlay of a volume (or both).
                            "anyOf": [
                                ["required": ["sizeGiB"], "properties": ["sizeGiB": ["type": "number"]]],
                                ["required": ["volume"], "properties": ["volume": ["type": "string"]]],
                            ]
                        ]) { $1 }),
                ], required: ["name"]),
            "CreateSnapshot": open(["name": name, "description": text, "diskOnly": boolean]),
            "AttachDisk": open(
                ["pool": string, "volume": string, "live": boolean, "persistent": boolean, "cdrom": boolean],
                required: ["pool", "volume"]),
            "CreateVolume": open(
                [
                    "name": name, "capacityBytes": diskBytes, "format": ["type": "string", "enum": ["qcow2", "raw"]],
                    "backingPool": name, "backingVolume": name,
                ], required: ["name", "capacityBytes"]
            ).merging([
                // An overlay (backingVolume) is always qcow2, the default format.
                "anyOf": [
                    ["not": ["required": ["backingVolume"]]], ["properties": ["backingVolume": ["type": "null"]]],
                    ["properties": ["format": ["enum": ["qcow2", NSNull()]]]],
                ]
            ]) { $1 },
            "ResizeVolume": open(["capacityBytes": diskBytes], required: ["capacityBytes"]),
        ]
    }

    // MARK: Building blocks

    static var string: [String: Any] { ["type": "string"] }
    static var integer: [String: Any] { ["type": "integer"] }
    static var counter: [String: Any] { ["type": "integer", "minimum": 0] }
    static var number: [String: Any] { ["type": "number"] }
    static var boolean: [String: Any] { ["type": "boolean"] }
    static var dateTime: [String: Any] { ["type": "string", "format": "date-time"] }
    static var stringMap: [String: Any] { ["type": "object", "additionalProperties": string] }
    /// Free text stored with a machine (descriptions): no control characters but tab, CR, LF,
    /// as ``TextRules`` checks it.
    static var text: [String: Any] {
        [
            "type": "string", "maxLength": TextRules.maxText,
            "pattern": "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\uFFFE\\uFFFF]*$",
        ]
    }
    /// One line of text (tag names and values): no control characters at all.
    static func line(minLength: Int = 0, maxLength: Int) -> [String: Any] {
        [
            "type": "string", "minLength": minLength, "maxLength": maxLength,
            "pattern": "^[^\\x00-\\x1F\\x7F-\\x9F\\uFFFE\\uFFFF]*$",
        ]
    }
    static var tags: [String: Any] {
        [
            "type": "object", "maxProperties": TextRules.maxTags,
            "propertyNames": line(minLength: 1, maxLength: TextRules.maxTagKey),
            "additionalProperties": line(maxLength: TextRules.maxTagValue),
        ]
    }

    /// A name as ``NameRules`` accepts it.
    static var name: [String: Any] {
        ["type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$", "minLength": 1, "maxLength": NameRules.maxLength]
    }
    static var vcpus: [String: Any] {
        ["type": "integer", "minimum": Limits.vcpus.lowerBound, "maximum": Limits.vcpus.upperBound]
    }
    static var memoryMiB: [String: Any] {
        [
            "type": "integer", "minimum": Limits.memoryKiB.lowerBound / 1024,
            "maximum": Limits.memoryKiB.upperBound / 1024,
        ]
    }
    static var diskBytes: [String: Any] {
        ["type": "integer", "minimum": Limits.diskBytes.lowerBound, "maximum": Limits.diskBytes.upperBound]
    }
    static var diskGiB: [String: Any] {
        let gib = Double(1 << 30)
        return [
            "type": "number", "minimum": Double(Limits.diskBytes.lowerBound) / gib,
            "maximum": Double(Limits.diskBytes.upperBound) / gib,
        ]
    }
    static var hours: [String: Any] {
        ["type": "number", "minimum": Limits.lifetimeHours.lowerBound, "maximum": Limits.lifetimeHours.upperBound]
    }

    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }

    /// A response object: exactly these properties.
    static func closed(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        var schema: [String: Any] = ["type": "object", "properties": properties, "additionalProperties": false]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    /// A request object: these properties; others are ignored, and an optional property may
    /// also be `null` (the same as leaving it out).
    static func open(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        var nullable = properties
        for (key, value) in properties where !required.contains(key) {
            guard var property = value as? [String: Any], let type = property["type"] as? String else { continue }
            property["type"] = [type, "null"]
            if let values = property["enum"] as? [Any] { property["enum"] = values + [NSNull()] }
            nullable[key] = property
        }
        var schema: [String: Any] = ["type": "object", "properties": nullable]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }
}
