import Foundation

/// The OpenAPI 3.1 description of the native API, built once from the route table.
enum NativeOpenAPI {
    struct Operation {
        var method: String
        var path: String
        var summary: String
        var tag: String
        var body: String?
        var success: Int = 200
        var response: String?
    }

    static let operations: [Operation] = [
        .init(
            method: "get", path: "/machines",
            summary: "List machines of all backends (query: group, backend, state, limit, offset)", tag: "machines",
            response: "MachinePage"),
        .init(
            method: "post", path: "/machines", summary: "Create a machine from a template (overlay clone)",
            tag: "machines", body: "CreateMachine", success: 201, response: "Machine"),
        .init(
            method: "get", path: "/machines/{id}", summary: "Get a machine by id (backend:name), name or UUID",
            tag: "machines", response: "Machine"),
        .init(
            method: "patch", path: "/machines/{id}", summary: "Change vcpus/memory (shut off) or tags, lifetime, group",
            tag: "machines", body: "UpdateMachine", response: "Machine"),
        .init(
            method: "delete", path: "/machines/{id}",
            summary: "Delete a machine and the disks vmgate created (query: keepDisks)", tag: "machines", success: 204),
        .init(
            method: "post", path: "/machines/{id}/actions/{action}",
            summary: "start, shutdown, poweroff, reset, reboot, suspend, resume", tag: "machines", response: "Machine"),
        .init(method: "get", path: "/machines/{id}/screenshot", summary: "PNG of the primary display", tag: "machines"),
        .init(
            method: "get", path: "/machines/{id}/stats", summary: "Cumulative CPU, network and disk counters",
            tag: "machines"),
        .init(method: "get", path: "/machines/{id}/snapshots", summary: "List snapshots", tag: "snapshots"),
        .init(
            method: "post", path: "/machines/{id}/snapshots", summary: "Take a snapshot", tag: "snapshots",
            body: "CreateSnapshot", success: 201),
        .init(method: "get", path: "/machines/{id}/snapshots/{snapshot}", summary: "Get a snapshot", tag: "snapshots"),
        .init(
            method: "post", path: "/machines/{id}/snapshots/{snapshot}/revert", summary: "Revert to a snapshot",
            tag: "snapshots", response: "Machine"),
        .init(
            method: "delete", path: "/machines/{id}/snapshots/{snapshot}", summary: "Delete a snapshot",
            tag: "snapshots", success: 204),
        .init(
            method: "post", path: "/machines/{id}/disks", summary: "Attach a volume", tag: "machines",
            body: "AttachDisk", response: "Machine"),
        .init(
            method: "delete", path: "/machines/{id}/disks/{target}", summary: "Detach a disk by guest device",
            tag: "machines", response: "Machine"),
        .init(method: "get", path: "/templates", summary: "List templates", tag: "templates"),
        .init(
            method: "post", path: "/templates", summary: "Create a template", tag: "templates", body: "Template",
            success: 201, response: "Template"),
        .init(
            method: "get", path: "/templates/{name}", summary: "Get a template", tag: "templates", response: "Template"),
        .init(
            method: "put", path: "/templates/{name}", summary: "Update a template (machines are not touched)",
            tag: "templates", body: "Template", response: "Template"),
        .init(
            method: "delete", path: "/templates/{name}", summary: "Delete a template", tag: "templates", success: 204),
        .init(method: "get", path: "/groups", summary: "List groups (pools, clusters, infrastructures)", tag: "groups"),
        .init(method: "get", path: "/groups/{name}", summary: "Get a group", tag: "groups"),
        .init(method: "get", path: "/storage/pools", summary: "List storage pools (query: backend)", tag: "storage"),
        .init(method: "get", path: "/storage/pools/{pool}", summary: "Get a storage pool", tag: "storage"),
        .init(
            method: "post", path: "/storage/pools/{pool}/actions/{action}", summary: "activate or deactivate",
            tag: "storage"),
        .init(method: "get", path: "/storage/pools/{pool}/volumes", summary: "List volumes", tag: "storage"),
        .init(
            method: "post", path: "/storage/pools/{pool}/volumes", summary: "Create a volume", tag: "storage",
            body: "CreateVolume", success: 201),
        .init(method: "get", path: "/storage/pools/{pool}/volumes/{volume}", summary: "Get a volume", tag: "storage"),
        .init(
            method: "delete", path: "/storage/pools/{pool}/volumes/{volume}", summary: "Delete a volume",
            tag: "storage", success: 204),
        .init(
            method: "post", path: "/storage/pools/{pool}/volumes/{volume}/resize", summary: "Resize a volume",
            tag: "storage", body: "ResizeVolume"),
        .init(
            method: "post", path: "/storage/pools/{pool}/volumes/{volume}/wipe", summary: "Wipe a volume (task)",
            tag: "storage", success: 202),
        .init(method: "get", path: "/tasks", summary: "List recent tasks", tag: "tasks"),
        .init(method: "get", path: "/tasks/{id}", summary: "Get a task", tag: "tasks"),
        .init(
            method: "get", path: "/backends", summary: "Backends with health, capacity and machine counts",
            tag: "backends"),
        .init(method: "get", path: "/backends/{name}", summary: "One backend", tag: "backends"),
        .init(method: "get", path: "/openapi.json", summary: "This document", tag: "meta"),
    ]

    static var schemas: [String: Any] {
        [
            "Error": object(["error": object(["code": ["type": "integer"], "kind": string, "message": string])]),
            "Machine": object([
                "id": string, "uuid": string, "name": string, "backend": string,
                "state": [
                    "type": "string", "enum": ["running", "paused", "shutoff", "crashed", "pending", "unknown"],
                ],
                "vcpus": integer, "memoryMiB": integer, "group": string, "template": string,
                "tags": ["type": "object", "additionalProperties": string], "lifetimeHours": number,
                "disks": ["type": "array", "items": ["type": "object"]],
                "nics": ["type": "array", "items": ["type": "object"]],
            ]),
            "MachinePage": object([
                "items": ["type": "array", "items": ["$ref": "#/components/schemas/Machine"]], "total": integer,
                "offset": integer, "limit": integer, "warnings": ["type": "array", "items": string],
            ]),
            "CreateMachine": object([
                "name": string, "template": string, "group": string, "backend": string, "vcpus": integer,
                "memoryMiB": integer, "storagePool": string, "network": string, "diskGiB": number,
                "tags": ["type": "object", "additionalProperties": string], "lifetimeHours": number,
                "start": ["type": "boolean"],
            ]),
            "UpdateMachine": object([
                "vcpus": integer, "memoryMiB": integer, "tags": ["type": "object", "additionalProperties": string],
                "lifetimeHours": number, "group": string,
            ]),
            "Template": object(
                [
                    "name": string, "vcpus": integer, "memoryMiB": integer, "cdrom": string, "icon": string,
                    "osDistro": string,
                    "osVersion": string, "network": string, "graphics": string,
                    "folder": ["type": "array", "items": string],
                    "disks": [
                        "type": "array",
                        "items": object(["index": integer, "sizeGiB": number, "pool": string, "volume": string]),
                    ],
                ], required: ["name"]),
            "CreateSnapshot": object(["name": string, "description": string, "diskOnly": ["type": "boolean"]]),
            "AttachDisk": object(
                ["pool": string, "volume": string, "live": ["type": "boolean"], "persistent": ["type": "boolean"]],
                required: ["pool", "volume"]),
            "CreateVolume": object(
                [
                    "name": string, "capacityBytes": integer, "format": string, "backingPool": string,
                    "backingVolume": string,
                ], required: ["name", "capacityBytes"]),
            "ResizeVolume": object(["capacityBytes": integer], required: ["capacityBytes"]),
        ]
    }

    static var string: [String: Any] { ["type": "string"] }
    static var integer: [String: Any] { ["type": "integer"] }
    static var number: [String: Any] { ["type": "number"] }

    static func object(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        var schema: [String: Any] = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    /// The document as JSON bytes, with `prefix` as the server path.
    static func document(prefix: String) -> [UInt8] {
        var paths: [String: [String: Any]] = [:]
        for op in operations {
            var operation: [String: Any] = [
                "summary": op.summary, "tags": [op.tag], "operationId": "\(op.method)\(op.path)",
            ]
            let parameters = op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
                segment -> [String: Any] in
                ["name": String(segment.dropFirst().dropLast()), "in": "path", "required": true, "schema": string]
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let body = op.body {
                operation["requestBody"] = [
                    "required": true,
                    "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(body)"]]],
                ]
            }
            var success: [String: Any] = ["description": "success"]
            if let response = op.response {
                success["content"] = ["application/json": ["schema": ["$ref": "#/components/schemas/\(response)"]]]
            }
            let error: [String: Any] = [
                "description": "error",
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]],
            ]
            operation["responses"] = ["\(op.success)": success, "default": error]
            paths[op.path, default: [:]][op.method] = operation
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "vmgate native API", "version": "1.0.0"],
            "servers": [["url": prefix.isEmpty ? "/" : prefix]],
            "paths": paths,
            "components": ["schemas": schemas],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }
}
