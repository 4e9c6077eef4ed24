extension NativeOpenAPI {
    static let storageOperations: [Operation] = [
        .init(
            method: "get", path: "/storage/pools", id: "listStoragePools",
            summary: "List storage pools of all backends with storage, or of one", tag: "storage",
            query: ["backendFilter"], content: .jsonArray("StoragePool"), errors: [404, 500]),
        .init(
            method: "get", path: "/storage/pools/{pool}", id: "getStoragePool", summary: "Get a storage pool",
            tag: "storage", query: ["backendFilter"], content: .json("StoragePool"),
            errors: [400, 404, 409, 500, 503]),
        .init(
            method: "post", path: "/storage/pools/{pool}/actions/{action}", id: "storagePoolAction",
            summary: "Activate or deactivate a storage pool", tag: "storage", query: ["backendFilter"],
            pathEnums: ["action": ["activate", "deactivate"]],
            content: .json("StoragePool"), errors: [400, 404, 409, 500, 503]),
        .init(
            method: "get", path: "/storage/pools/{pool}/volumes", id: "listVolumes", summary: "List volumes",
            tag: "storage", query: ["backendFilter"], content: .jsonArray("StorageVolume"),
            errors: [400, 404, 409, 500, 503]),
        .init(
            method: "post", path: "/storage/pools/{pool}/volumes", id: "createVolume",
            summary: "Create a blank volume, or a qcow2 overlay of a backing volume", tag: "storage",
            query: ["backendFilter"], body: ("CreateVolume", true), success: 201, content: .json("StorageVolume"),
            errors: [400, 404, 409, 500, 501, 503],
            links: [
                "GetVolume": ("getVolume", ["pool": "$request.path.pool", "volume": "$response.body#/name"]),
                "DeleteVolume": ("deleteVolume", ["pool": "$request.path.pool", "volume": "$response.body#/name"]),
                "ResizeVolume": ("resizeVolume", ["pool": "$request.path.pool", "volume": "$response.body#/name"]),
                "WipeVolume": ("wipeVolume", ["pool": "$request.path.pool", "volume": "$response.body#/name"]),
            ]),
        .init(
            method: "get", path: "/storage/pools/{pool}/volumes/{volume}", id: "getVolume", summary: "Get a volume",
            tag: "storage", query: ["backendFilter"], content: .json("StorageVolume"),
            errors: [400, 404, 409, 500, 503]),
        .init(
            method: "delete", path: "/storage/pools/{pool}/volumes/{volume}", id: "deleteVolume",
            summary: "Delete a volume no machine uses", tag: "storage", query: ["backendFilter"], success: 204,
            errors: [400, 404, 409, 500, 503]),
        .init(
            method: "post", path: "/storage/pools/{pool}/volumes/{volume}/resize", id: "resizeVolume",
            summary: "Resize a volume", tag: "storage", query: ["backendFilter"], body: ("ResizeVolume", true),
            content: .json("StorageVolume"), errors: [400, 404, 409, 500, 501, 503]),
        .init(
            method: "post", path: "/storage/pools/{pool}/volumes/{volume}/wipe", id: "wipeVolume",
            summary: "Overwrite a volume with zeros, as a task", tag: "storage", query: ["backendFilter"],
            success: 202, content: .json("Task"), headers: ["Location"], errors: [404, 500, 501, 503],
            links: ["GetTask": ("getTask", ["id": "$response.body#/id"])]),
    ]

    static let systemOperations: [Operation] = [
        .init(
            method: "get", path: "/tasks", id: "listTasks", summary: "List recent tasks, newest first", tag: "tasks",
            query: ["taskLimit"], content: .jsonArray("Task"), errors: [400, 500, 503]),
        .init(
            method: "get", path: "/tasks/{id}", id: "getTask", summary: "Get a task", tag: "tasks",
            content: .json("Task"), errors: [404, 500, 503]),
        .init(
            method: "get", path: "/backends", id: "listBackends",
            summary: "Backends with health, capacity and machine counts", tag: "backends",
            content: .jsonArray("BackendStatus"), errors: [500]),
        .init(
            method: "get", path: "/backends/{name}", id: "getBackend", summary: "One backend", tag: "backends",
            content: .json("BackendStatus"), errors: [404, 500]),
        .init(
            method: "get", path: "/openapi.json", id: "openAPIDocument", summary: "This document", tag: "meta",
            content: .json("OpenAPIDocument"), errors: []),
    ]
}
