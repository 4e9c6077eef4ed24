public import Hummingbird
public import Spec

/// The request context every dialect's routes run with.
public struct GatewayContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller, when a dialect's auth middleware found one.
    public var principal: Principal?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.principal = nil
    }

    /// Hummingbird's own limit for bodies it collects; vmgate's routes collect through
    /// ``BodyLimit``, whose per-class limits (JSON 1 MiB, documents 8 MiB) are never above it.
    public var maxUploadSize: Int { 8 << 20 }
}
