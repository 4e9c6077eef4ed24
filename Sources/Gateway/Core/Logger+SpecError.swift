public import Logging
public import Spec

extension SpecError {
    /// How loud a failure of this error is in the log: a fault of vmgate is an error, an
    /// unavailable backend a warning, a client mistake whose cause is worth keeping (a
    /// definition libvirt rejected) a notice, and anything else debug.
    public var logLevel: Logger.Level {
        switch kind {
        case .internal: .error
        case .unavailable: .warning
        default: cause == nil ? .debug : .notice
        }
    }

    /// The error as log metadata: kind, client-facing message and, when known, the cause.
    public var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "vmgate.error.kind": "\(kind.rawValue)", "vmgate.error.message": "\(message)",
        ]
        if let cause { metadata["vmgate.error.cause"] = "\(cause)" }
        return metadata
    }
}

extension Logger {
    /// Logs a failed request or operation in one structured line: `what` failed, with the
    /// error's kind, message and cause merged into `metadata`, at the error's ``SpecError/logLevel``.
    public func failure(_ error: SpecError, _ what: @autoclosure () -> Logger.Message, metadata: Logger.Metadata = [:])
    {
        log(level: error.logLevel, what(), metadata: metadata.merging(error.logMetadata) { $1 })
    }
}
