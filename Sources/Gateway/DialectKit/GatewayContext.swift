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

    /// Request bodies up to 8 MiB (RADL documents, templates); larger ones get 413.
    public var maxUploadSize: Int { 8 << 20 }
}
