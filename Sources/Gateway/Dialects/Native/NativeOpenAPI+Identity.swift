import Spec

extension NativeOpenAPI {
    static let identityOperations: [Operation] = [
        .init(
            method: "get", path: "/users/me", id: "getCurrentUser",
            summary: "The authenticated user: role, groups, quota and what they hold", tag: "identity",
            content: .json("Identity"), errors: [401, 500]),
        .init(
            method: "get", path: "/tokens", id: "listTokens", summary: "The caller's API tokens", tag: "identity",
            content: .jsonArray("APIToken"), errors: [401, 500]),
        .init(
            method: "post", path: "/tokens", id: "createToken",
            summary: "Issue an API token for the caller (send it as 'Authorization: Bearer')", tag: "identity",
            success: 201, content: .json("APIToken"), errors: [401, 500],
            links: ["DeleteToken": ("deleteToken", ["token": "$response.body#/token"])]),
        .init(
            method: "delete", path: "/tokens/{token}", id: "deleteToken", summary: "Revoke one of the caller's tokens",
            tag: "identity", success: 204, errors: [401, 404, 500]),
        .init(
            method: "get", path: "/audit", id: "listAudit",
            summary: "State-changing requests of every dialect, oldest first (administrators)", tag: "identity",
            query: ["auditSince", "auditUntil", "auditLimit"], content: .jsonArray("AuditRecord"),
            errors: [400, 401, 403, 500]),
    ]

    static var identitySchemas: [String: Any] {
        let quota = closed(["machines": counter, "vcpus": counter, "memoryMiB": counter, "diskGiB": counter])
        return [
            "Identity": closed(
                [
                    "user": string, "role": ["type": "string", "enum": Role.allCases.map(\.rawValue)],
                    "groups": array(string), "quota": quota,
                    "usage": closed(
                        ["machines": counter, "vcpus": counter, "memoryMiB": counter, "diskGiB": counter],
                        required: ["machines", "vcpus", "memoryMiB", "diskGiB"]),
                ], required: ["user", "role", "groups", "usage"]),
            "APIToken": closed(
                ["token": string, "user": string, "createdAt": dateTime, "lastUsedAt": dateTime],
                required: ["token", "user", "createdAt"]),
            "AuditRecord": closed(
                [
                    "at": dateTime, "user": string, "dialect": string, "method": string, "path": string,
                    "status": integer,
                ], required: ["at", "user", "dialect", "method", "path", "status"]),
        ]
    }

    static var identityParameters: [String: Any] {
        // Epoch seconds; the server also reads an ISO-8601 date-time (`2026-12-02T10:00:00Z`).
        let when: [String: Any] = ["type": "integer", "minimum": 0, "maximum": NativeDialect.maxEpochSeconds]
        return [
            "auditSince": query("since", when, "Only records at or after this time (epoch seconds, or ISO-8601)"),
            "auditUntil": query("until", when, "Only records at or before this time (epoch seconds, or ISO-8601)"),
            "auditLimit": query(
                "limit", ["type": "integer", "minimum": 0, "maximum": Int.max], "At most this many, the newest"),
        ]
    }
}
