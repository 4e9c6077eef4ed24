public import Foundation

/// How each dialect writes its errors, so a refusal can be checked to be in the client's format.
public enum ErrorFormat: String, Sendable {
    case native, kimchi, vserver, im, comet, vmpooler

    /// Whether `body` is an error body of this dialect with `status`.
    public func matches(_ body: Data, status: Int) -> Bool {
        let json = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        let object = json as? [String: Any] ?? [:]
        switch self {
        case .native:
            let error = object["error"] as? [String: Any]
            return error?["code"] as? Int == status && error?["kind"] is String && error?["message"] is String
        case .kimchi, .comet:
            return object["code"] as? Int == status && object["reason"] is String
        case .vserver:
            return object["error"] is String
        case .im:
            return object["code"] as? Int == status && object["message"] is String
        case .vmpooler:
            return object["ok"] as? Bool == false
        }
    }
}
