internal import CLibvirt
import Spec
import Synchronization

/// Owns one `virConnectPtr` and closes it when released.
///
/// `@unchecked Sendable`: libvirt connection objects are thread-safe (every public API call
/// locks internally), the pointer itself is immutable, and the only mutable state is an atomic.
final class LibvirtConnection: @unchecked Sendable {
    /// The C handle.
    let pointer: OpaquePointer
    /// Set by the close callback or when a call finds the connection gone.
    private let dead = Atomic<Bool>(false)

    /// Opens `uri`, naming it `display` (credentials redacted) in errors; call on a thread-pool
    /// thread (this blocks).
    init(uri: String, display: String) throws(SpecError) {
        LibvirtEventLoop.ensureRunning()
        guard let pointer = virConnectOpen(uri) else {
            throw LibvirtError.capture("connect to", "libvirt at '\(display)'", connection: nil)
        }
        self.pointer = pointer
    }

    deinit {
        virConnectClose(pointer)
    }

    /// Whether the connection was seen dead.
    var isDead: Bool { dead.load(ordering: .acquiring) }

    /// Marks the connection dead so the next call reconnects.
    func markDead() { dead.store(true, ordering: .releasing) }

    /// Asks libvirt whether the connection is still alive (no round trip) and records the answer.
    func probeAlive() -> Bool {
        let alive = virConnectIsAlive(pointer) == 1
        virResetLastError()
        if !alive { markDead() }
        return alive
    }

    /// Driver name (`QEMU`, `Test`).
    func driverType() -> String {
        virConnectGetType(pointer).map { String(cString: $0) } ?? "unknown"
    }
}

/// Copies a libvirt-allocated C string and frees it.
func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    defer { free(pointer) }
    return String(cString: pointer)
}

/// Copies a libvirt-allocated array of handles and frees the array (not the handles).
func takeHandles(_ array: UnsafeMutablePointer<OpaquePointer?>?, count: Int32) -> [OpaquePointer] {
    guard let array else { return [] }
    defer { free(array) }
    guard count > 0 else { return [] }
    return (0..<Int(count)).compactMap { array[$0] }
}
