/// The one error type every layer of vmgate speaks.
///
/// Backends throw it, the gateway core passes it through, and each dialect maps its ``Kind``
/// onto that API's own status codes and error body.
public struct SpecError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The taxonomy shared by all dialects.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The addressed resource does not exist.
        case notFound
        /// The request clashes with the current state (duplicate name, wrong power state, in use).
        case conflict
        /// The request itself is malformed or out of range.
        case invalid
        /// The backend cannot do this at all (a missing capability).
        case unsupported
        /// The caller may not do this (a quota would be exceeded, a role does not allow it).
        case forbidden
        /// The backend is unreachable or failed; retrying later may work.
        case unavailable
        /// A fault inside vmgate itself (a programming error). Its cause is logged, never shown:
        /// clients only learn that something went wrong on the gateway's side.
        case `internal`
    }

    /// What went wrong, in the taxonomy.
    public var kind: Kind
    /// A message fit for the API client.
    public var message: String
    /// The lower-level cause (libvirt's error text, an HTTP status), for logs only: response
    /// bodies, task records and health reports carry ``message``.
    public var cause: String?

    /// Creates an error of `kind` with a client-facing `message` and an optional `cause`.
    public init(_ kind: Kind, _ message: String, cause: String? = nil) {
        self.kind = kind
        self.message = message
        self.cause = cause
    }

    public var description: String {
        cause.map { "\(kind.rawValue): \(message) (\($0))" } ?? "\(kind.rawValue): \(message)"
    }

    /// A missing resource.
    public static func notFound(_ message: String, cause: String? = nil) -> SpecError {
        SpecError(.notFound, message, cause: cause)
    }
    /// A clash with current state.
    public static func conflict(_ message: String, cause: String? = nil) -> SpecError {
        SpecError(.conflict, message, cause: cause)
    }
    /// Malformed or out-of-range input.
    public static func invalid(_ message: String, cause: String? = nil) -> SpecError {
        SpecError(.invalid, message, cause: cause)
    }
    /// A capability the backend lacks.
    public static func unsupported(_ message: String, cause: String? = nil) -> SpecError {
        SpecError(.unsupported, message, cause: cause)
    }
    /// Something the caller may not do.
    public static func forbidden(_ message: String, cause: String? = nil) -> SpecError {
        SpecError(.forbidden, message, cause: cause)
    }
    /// An unreachable or failing backend.
    public static func unavailable(_ message: String, cause: String? = nil) -> SpecError {
        SpecError(.unavailable, message, cause: cause)
    }
    /// A fault inside vmgate; `cause` says what, for the log.
    public static func `internal`(_ message: String = internalMessage, cause: String? = nil) -> SpecError {
        SpecError(.internal, message, cause: cause)
    }

    /// The client-facing message of every ``Kind/internal`` error that has no better one.
    public static let internalMessage = "internal error in vmgate; the details are in its log"
}

extension SpecError {
    /// Wraps any error as a ``SpecError``: Spec errors stay as they are, a cancelled operation
    /// is `unavailable`, and anything else is a fault of vmgate itself (`internal`), whose
    /// description becomes the ``cause`` and never the message.
    public static func wrap(_ error: any Error) -> SpecError {
        if let spec = error as? SpecError { return spec }
        if error is CancellationError { return .unavailable("the operation was cancelled", cause: "CancellationError") }
        return .internal(cause: "\(String(reflecting: type(of: error))): \(String(describing: error))")
    }
}
