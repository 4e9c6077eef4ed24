import DialectKit
import Hummingbird

extension NativeDialect {
    /// Who may use which native routes: the OpenAPI document is public; backends (the
    /// backend-level routes), templates, storage and the audit log are for administrators
    /// (reading templates and storage is open to every user, who needs them to create machines).
    static let guardRules = GuardRules(
        isPublic: { request, path in path == "/openapi.json" && !GuardRules.isStateChanging(request) },
        isAdminOnly: { request, path in
            GuardRules.paths(["/backends", "/audit"], reads: true)(request, path)
                || GuardRules.paths(["/templates", "/storage"])(request, path)
        })
}
