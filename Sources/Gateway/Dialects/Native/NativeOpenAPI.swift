import Foundation
import Spec

/// The OpenAPI 3.1 description of the native API: one entry per route, with every status the
/// route can answer, its parameters, bodies and links. The routes of undocumented methods on
/// these paths answer 405 (see ``NativeDialect/addMethodNotAllowedRoutes(to:)``), so the
/// table is also the list of what the API serves. The backend-level routes (`/backends/:name/…`,
/// used by the proxy backend) are internal and not described here.
enum NativeOpenAPI {
    /// One documented operation.
    struct Operation {
        enum Content {
            case none
            case json(String)
            case jsonArray(String)
            case png
        }

        var method: String
        var path: String
        var id: String
        var summary: String
        var tag: String
        var query: [String] = []
        /// Path parameters that take one of a few values (the others are non-empty strings).
        var pathEnums: [String: [String]] = [:]
        /// Request body schema and whether a body is required (all-optional bodies may be empty).
        var body: (schema: String, required: Bool)?
        var success: Int = 200
        var content: Content = .none
        var headers: [String] = []
        var errors: [Int]
        var links: [String: (operation: String, parameters: [String: String])] = [:]
    }

    /// Statuses of a lookup or change of one machine: it may be missing, ambiguous, or its
    /// backend may fail.
    static let machineErrors = [400, 404, 409, 500, 503]
    /// The same, for routes that need a capability the backend may lack.
    static let capabilityErrors = [400, 404, 409, 500, 501, 503]

    static let operations: [Operation] =
        machineOperations + machineDetailOperations + catalogOperations + storageOperations + systemOperations
        + identityOperations

    static let machineOperations: [Operation] = [
        .init(
            method: "get", path: "/machines", id: "listMachines",
            summary: "List machines of all backends, filtered and paged", tag: "machines",
            query: ["group", "backendFilter", "state", "limit", "offset"], content: .json("MachinePage"),
            headers: ["X-Total-Count"], errors: [400, 404, 500]),
        .init(
            method: "post", path: "/machines", id: "createMachine",
            summary: "Create a machine from its group's template (overlay clone) or blank", tag: "machines",
            body: ("CreateMachine", false), success: 201, content: .json("Machine"), headers: ["Location"],
            errors: machineErrors + [501],
            links: machineLinks),
        .init(
            method: "get", path: "/machines/{id}", id: "getMachine",
            summary: "Get a machine by id (backend:name), name or UUID", tag: "machines", content: .json("Machine"),
            errors: machineErrors),
        .init(
            method: "patch", path: "/machines/{id}", id: "updateMachine",
            summary: "Change vcpus/memory (machine shut off) or tags, lifetime, group", tag: "machines",
            body: ("UpdateMachine", false), content: .json("Machine"), errors: capabilityErrors),
        .init(
            method: "delete", path: "/machines/{id}", id: "deleteMachine",
            summary: "Delete a machine and the disks vmgate created for it", tag: "machines", query: ["keepDisks"],
            success: 204, errors: machineErrors),
        .init(
            method: "post", path: "/machines/{id}/actions/{action}", id: "performAction",
            summary: "Run a power action", tag: "machines",
            pathEnums: ["action": MachineAction.allCases.map(\.rawValue)],
            content: .json("Machine"), errors: machineErrors),
    ]

    static let machineLinks: [String: (operation: String, parameters: [String: String])] = [
        "GetMachine": ("getMachine", ["id": "$response.body#/id"]),
        "UpdateMachine": ("updateMachine", ["id": "$response.body#/id"]),
        "DeleteMachine": ("deleteMachine", ["id": "$response.body#/id"]),
        "PerformAction": ("performAction", ["id": "$response.body#/id"]),
        "MachineStats": ("machineStats", ["id": "$response.body#/id"]),
        "Screenshot": ("machineScreenshot", ["id": "$response.body#/id"]),
        "ListSnapshots": ("listSnapshots", ["id": "$response.body#/id"]),
        "CreateSnapshot": ("createSnapshot", ["id": "$response.body#/id"]),
        "AttachDisk": ("attachDisk", ["id": "$response.body#/id"]),
        "DetachDisk": ("detachDisk", ["id": "$response.body#/id", "target": "$response.body#/disks/0/target"]),
    ]

    static let snapshotLinks: [String: (operation: String, parameters: [String: String])] = [
        "GetSnapshot": ("getSnapshot", ["id": "$request.path.id", "snapshot": "$response.body#/name"]),
        "RevertSnapshot": ("revertSnapshot", ["id": "$request.path.id", "snapshot": "$response.body#/name"]),
        "DeleteSnapshot": ("deleteSnapshot", ["id": "$request.path.id", "snapshot": "$response.body#/name"]),
    ]

    static let machineDetailOperations: [Operation] = [
        .init(
            method: "get", path: "/machines/{id}/screenshot", id: "machineScreenshot",
            summary: "PNG of the primary display (running machines)", tag: "machines", content: .png,
            errors: capabilityErrors),
        .init(
            method: "get", path: "/machines/{id}/stats", id: "machineStats",
            summary: "Cumulative CPU, network and disk counters", tag: "machines", content: .json("MachineStats"),
            errors: capabilityErrors),
        .init(
            method: "get", path: "/machines/{id}/snapshots", id: "listSnapshots", summary: "List snapshots",
            tag: "snapshots", content: .jsonArray("Snapshot"), errors: capabilityErrors),
        .init(
            method: "post", path: "/machines/{id}/snapshots", id: "createSnapshot", summary: "Take a snapshot",
            tag: "snapshots", body: ("CreateSnapshot", false), success: 201, content: .json("Snapshot"),
            errors: capabilityErrors, links: snapshotLinks),
        .init(
            method: "get", path: "/machines/{id}/snapshots/{snapshot}", id: "getSnapshot", summary: "Get a snapshot",
            tag: "snapshots", content: .json("Snapshot"), errors: capabilityErrors),
        .init(
            method: "post", path: "/machines/{id}/snapshots/{snapshot}/revert", id: "revertSnapshot",
            summary: "Revert to a snapshot", tag: "snapshots", content: .json("Machine"), errors: capabilityErrors),
        .init(
            method: "delete", path: "/machines/{id}/snapshots/{snapshot}", id: "deleteSnapshot",
            summary: "Delete a snapshot", tag: "snapshots", success: 204, errors: capabilityErrors),
        .init(
            method: "post", path: "/machines/{id}/disks", id: "attachDisk", summary: "Attach a volume",
            tag: "machines", body: ("AttachDisk", true), content: .json("Machine"), errors: capabilityErrors),
        .init(
            method: "delete", path: "/machines/{id}/disks/{target}", id: "detachDisk",
            summary: "Detach a disk by guest device", tag: "machines", content: .json("Machine"),
            errors: capabilityErrors),
    ]

    static let catalogOperations: [Operation] = [
        .init(
            method: "get", path: "/templates", id: "listTemplates", summary: "List templates", tag: "templates",
            content: .jsonArray("Template"), errors: [500, 503]),
        .init(
            method: "post", path: "/templates", id: "createTemplate", summary: "Create a template",
            tag: "templates", body: ("Template", true), success: 201, content: .json("Template"),
            headers: ["Location"], errors: [400, 409, 500, 503],
            links: [
                "GetTemplate": ("getTemplate", ["name": "$response.body#/name"]),
                "ReplaceTemplate": ("replaceTemplate", ["name": "$response.body#/name"]),
                "DeleteTemplate": ("deleteTemplate", ["name": "$response.body#/name"]),
            ]),
        .init(
            method: "get", path: "/templates/{name}", id: "getTemplate", summary: "Get a template", tag: "templates",
            content: .json("Template"), errors: [404, 500, 503]),
        .init(
            method: "put", path: "/templates/{name}", id: "replaceTemplate",
            summary: "Update a template; fields left out keep their value (machines are not touched)",
            tag: "templates", body: ("Template", true), content: .json("Template"),
            errors: [400, 404, 409, 500, 503]),
        .init(
            method: "delete", path: "/templates/{name}", id: "deleteTemplate", summary: "Delete a template",
            tag: "templates", success: 204, errors: [404, 500, 503]),
        .init(
            method: "get", path: "/groups", id: "listGroups", summary: "List groups (pools, clusters, infrastructures)",
            tag: "groups", content: .jsonArray("Group"), errors: [500]),
        .init(
            method: "get", path: "/groups/{name}", id: "getGroup", summary: "Get a group by name or alias",
            tag: "groups", content: .json("Group"), errors: [404, 500]),
        .init(
            method: "get", path: "/groups/{name}/routing", id: "groupRouting",
            summary: "The group's backends, and its machines left on other backends", tag: "groups",
            content: .json("GroupRouting"), errors: [404, 500]),
    ]
}
