public import Hummingbird
public import HummingbirdAuth
public import Spec

/// The request context every dialect's routes run with.
public struct GatewayContext: AuthRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller, set by the dialect's ``RequestGuard``.
    public var identity: Principal?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = nil
    }

    /// The authenticated caller, when there is one.
    public var principal: Principal? { identity }

    /// Hummingbird's own limit for bodies it collects; vmgate's routes collect through
    /// ``BodyLimit``, whose per-class limits (JSON 1 MiB, documents 8 MiB) are never above it.
    public var maxUploadSize: Int { 8 << 20 }
}
