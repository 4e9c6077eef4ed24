import Foundation
import Spec

/// The connection part of a ``LibvirtBackend``'s state, guarded by its mutex.
struct LinkState {
    var connection: LibvirtConnection?
    var registration = EventRegistration()
    /// The reconnect in progress, which concurrent callers await instead of starting their own.
    var reconnecting: Task<LibvirtConnection, any Error>?
    var failures = 0
    var nextAttemptAt: ContinuousClock.Instant?
    var closed = false
    var background: [Task<Void, Never>] = []
    var lastError: String?
    var lastErrorAt: Date?
    var latency: Double?
    var capabilities: BackendCapabilities
}
