internal import CLibvirt
import Foundation

/// Process-wide libvirt setup: silences the default error printer, registers libvirt's default
/// event loop implementation and runs it forever on one dedicated thread.
///
/// Must be touched (``LibvirtEventLoop/ensureRunning()``) before the first `virConnectOpen`,
/// so that connections can deliver events and keep-alives.
enum LibvirtEventLoop {
    /// Swift initializes a static `let` exactly once, thread-safely, on first access.
    private static let started: Bool = {
        virSetErrorFunc(nil, silentErrorHandler)
        guard virEventRegisterDefaultImpl() == 0 else {
            virResetLastError()
            return false
        }
        let thread = Thread {
            while true {
                if virEventRunDefaultImpl() < 0 {
                    virResetLastError()
                }
            }
        }
        thread.name = "libvirt-event-loop"
        thread.start()
        return true
    }()

    /// Installs the error handler and starts the event loop thread once per process.
    /// Returns whether the event loop is running.
    @discardableResult
    static func ensureRunning() -> Bool { started }
}

/// Replaces libvirt's default handler, which prints every error to stderr.
private let silentErrorHandler: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<virError>?) -> Void = {
    _, _ in
}
