import Foundation
import GatewayCore
import Hummingbird
import Spec

/// The audit log: every state-changing request, with who asked, through which dialect, what it
/// addressed and how it ended; kept in the store's history (kind `audit`) and logged.
public enum AuditLog {
    /// The history kind of audit records.
    public static let kind = "audit"
}

extension RequestGuard {
    func audit(_ request: Request, principal: Principal?, status: Int) async {
        let user = principal?.user ?? (policy.mode == .none ? "-" : "(unauthenticated)")
        let target = String(request.uri.path.prefix(512))
        let event = HistoryEvent(
            kind: AuditLog.kind, subject: target,
            attributes: [
                "user": user, "dialect": dialect, "method": request.method.rawValue, "status": String(status),
                "outcome": status < 400 ? "success" : "refused",
            ])
        fleet.logger.info(
            "audit",
            metadata: [
                "vmgate.user": "\(user)", "vmgate.dialect": "\(dialect)", "http.method": "\(request.method.rawValue)",
                "http.path": "\(target)", "http.status": "\(status)",
            ])
        try? await fleet.store.record(event)
    }
}
