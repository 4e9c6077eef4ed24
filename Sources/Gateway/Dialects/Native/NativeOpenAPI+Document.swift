import Foundation
import Spec

extension NativeOpenAPI {
    /// Reusable query parameters, by component name.
    static func query(_ name: String, _ schema: [String: Any], _ description: String) -> [String: Any] {
        ["name": name, "in": "query", "required": false, "schema": schema, "description": description]
    }

    static var parameters: [String: Any] {
        let count: [String: Any] = ["type": "integer", "minimum": 0, "maximum": Int.max]
        return [
            "group": query("group", string, "Only machines of this group (name or alias)"),
            "backendFilter": query("backend", string, "Only this backend (404 if there is none of that name)"),
            "state": query(
                "state", ["type": "string", "enum": MachineState.allCases.map(\.rawValue)],
                "Only machines in this state"),
            "limit": query("limit", count, "At most this many machines"),
            "offset": query("offset", count, "Skip this many machines"),
            "keepDisks": query("keepDisks", boolean, "Keep the disks vmgate created for the machine"),
            "taskLimit": query("limit", count, "At most this many tasks (default 100)"),
        ].merging(identityParameters) { first, _ in first }
    }

    /// Response headers, by component name.
    static var headers: [String: Any] {
        [
            "X-Total-Count": [
                "required": true, "description": "Machines matching the filter, all pages",
                "schema": ["type": "integer", "minimum": 0],
            ],
            "Location": ["required": true, "description": "Where the new resource is", "schema": string],
        ]
    }

    static let reasons: [Int: String] = [
        400: "The request is malformed or out of range",
        404: "The resource (or one the request names) does not exist",
        409: "The request clashes with the current state (duplicate name, wrong power state, in use)",
        500: "A fault inside vmgate; the details are in its log",
        501: "The backend lacks the capability this needs",
        503: "A backend or the store is unreachable or did not answer in time; retrying later may work",
    ]

    static func content(_ content: Operation.Content) -> [String: Any]? {
        switch content {
        case .none: nil
        case .json(let schema): ["application/json": ["schema": ref(schema)]]
        case .jsonArray(let schema): ["application/json": ["schema": array(ref(schema))]]
        case .png: ["image/png": ["schema": ["type": "string", "contentMediaType": "image/png"]]]
        }
    }

    static func operation(_ op: Operation) -> [String: Any] {
        var operation: [String: Any] = ["summary": op.summary, "tags": [op.tag], "operationId": op.id]
        var parameters: [[String: Any]] = op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { segment in
            let name = String(segment.dropFirst().dropLast())
            let schema: [String: Any] =
                op.pathEnums[name].map { ["type": "string", "enum": $0] }
                ?? ["type": "string", "minLength": 1]
            return ["name": name, "in": "path", "required": true, "schema": schema]
        }
        parameters += op.query.map { ["$ref": "#/components/parameters/\($0)"] }
        if !parameters.isEmpty { operation["parameters"] = parameters }
        if let body = op.body {
            operation["requestBody"] = [
                "required": body.required, "content": ["application/json": ["schema": ref(body.schema)]],
            ]
        }
        var success: [String: Any] = ["description": op.success == 204 ? "done" : "success"]
        if let content = content(op.content) { success["content"] = content }
        if !op.headers.isEmpty {
            success["headers"] = Dictionary(
                uniqueKeysWithValues: op.headers.map { ($0, ["$ref": "#/components/headers/\($0)"]) })
        }
        if !op.links.isEmpty {
            success["links"] = op.links.mapValues { link in
                ["operationId": link.operation, "parameters": link.parameters] as [String: Any]
            }
        }
        var responses: [String: Any] = ["\(op.success)": success]
        for status in op.errors {
            responses["\(status)"] = [
                "description": reasons[status] ?? "error", "content": ["application/json": ["schema": ref("Error")]],
            ]
        }
        operation["responses"] = responses
        return operation
    }

    /// The document as JSON bytes, with `prefix` as the server path.
    static func document(prefix: String) -> [UInt8] {
        var paths: [String: [String: Any]] = [:]
        for op in operations { paths[op.path, default: [:]][op.method] = operation(op) }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "vmgate native API", "version": "1.0.0",
                "description":
                    "Machines, templates, groups, storage and tasks of every backend behind this vmgate. "
                    + "Errors are {\"error\": {code, kind, message}}; a method a path does not list answers 405.",
            ],
            "servers": [["url": prefix.isEmpty ? "/" : prefix]],
            "paths": paths,
            "components": ["schemas": schemas, "parameters": parameters, "headers": headers],
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return Array(data)
    }

    /// The methods the document lists for each path, as the router spells paths (`:id`).
    static var methodsByRoute: [String: [String]] {
        var methods: [String: [String]] = [:]
        for op in operations {
            let route = op.path.split(separator: "/").map { segment in
                segment.hasPrefix("{") ? ":" + segment.dropFirst().dropLast() : String(segment)
            }.joined(separator: "/")
            methods["/" + route, default: []].append(op.method.uppercased())
        }
        return methods
    }
}
