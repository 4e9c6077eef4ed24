internal import CLibvirt
import Spec

/// Turns libvirt's per-thread last error into a ``SpecError``.
///
/// libvirt keeps the last error in thread-local storage, so ``capture(_:_:connection:)`` must run
/// on the same thread (inside the same thread-pool closure) as the call that failed.
enum LibvirtError {
    /// The error of the call that just failed on this thread, described as `verb` on `subject`.
    ///
    /// `subject` is evaluated only after the error was copied: libvirt resets the last error at the
    /// start of every public call, including getters such as `virDomainGetName`.
    static func capture(
        _ verb: String, _ subject: @autoclosure () -> String, connection: LibvirtConnection?
    ) -> SpecError {
        let code: Int32
        let text: String
        if let error = virGetLastError() {
            code = error.pointee.code
            text = error.pointee.message.map { String(cString: $0) } ?? "unknown libvirt error"
        } else {
            code = Int32(VIR_ERR_INTERNAL_ERROR.rawValue)
            text = "libvirt call failed without an error"
        }
        virResetLastError()
        let dead = connection.map { !$0.probeAlive() } ?? false
        return map(code: code, text: text, verb: verb, subject: subject(), connectionDead: dead)
    }

    /// libvirt errors that reject what the request asked for (a malformed or unsupported
    /// definition, an argument out of range): the client's mistake, not an outage.
    static let clientInput: [virErrorNumber] = [
        VIR_ERR_INVALID_ARG, VIR_ERR_XML_ERROR, VIR_ERR_XML_DETAIL, VIR_ERR_XML_INVALID_SCHEMA,
        VIR_ERR_CONFIG_UNSUPPORTED, VIR_ERR_OS_TYPE, VIR_ERR_NO_KERNEL, VIR_ERR_NO_ROOT, VIR_ERR_NO_SOURCE,
        VIR_ERR_NO_TARGET, VIR_ERR_NO_NAME, VIR_ERR_NO_OS, VIR_ERR_NO_DEVICE, VIR_ERR_INVALID_MAC, VIR_ERR_OVERFLOW,
        VIR_ERR_CPU_INCOMPATIBLE,
    ]

    /// libvirt errors that mean the host cannot be reached or does not answer in time.
    static let outage: [virErrorNumber] = [
        VIR_ERR_NO_CONNECT, VIR_ERR_RPC, VIR_ERR_AUTH_FAILED, VIR_ERR_SSH, VIR_ERR_LIBSSH,
    ]

    /// Maps a libvirt error code and message onto the shared taxonomy. Messages never quote
    /// libvirt's text, which stays in `cause` for the log.
    static func map(code: Int32, text: String, verb: String, subject: String, connectionDead: Bool) -> SpecError {
        func isCode(_ values: virErrorNumber...) -> Bool { values.contains { Int32($0.rawValue) == code } }
        func isCode(in values: [virErrorNumber]) -> Bool { values.contains { Int32($0.rawValue) == code } }
        let lowered = text.lowercased()
        if connectionDead || isCode(in: outage) {
            return .unavailable("connection to libvirt lost while trying to \(verb) \(subject)", cause: text)
        }
        if isCode(VIR_ERR_OPERATION_TIMEOUT, VIR_ERR_AGENT_UNRESPONSIVE) {
            return .unavailable("libvirt did not \(verb) \(subject) in time", cause: text)
        }
        if isCode(
            VIR_ERR_NO_DOMAIN, VIR_ERR_NO_STORAGE_POOL, VIR_ERR_NO_STORAGE_VOL, VIR_ERR_NO_DOMAIN_SNAPSHOT,
            VIR_ERR_NO_NETWORK, VIR_ERR_DEVICE_MISSING)
        {
            return .notFound("\(subject) not found", cause: text)
        }
        if isCode(VIR_ERR_DOM_EXIST, VIR_ERR_STORAGE_VOL_EXIST) || lowered.contains("already exists") {
            return .conflict("\(subject) already exists", cause: text)
        }
        if isCode(VIR_ERR_OPERATION_INVALID, VIR_ERR_STORAGE_POOL_BUILT) || lowered.contains("is already")
            || lowered.contains("not running") || lowered.contains("is not active") || lowered.contains("in use")
        {
            return .conflict("cannot \(verb) \(subject) in its current state", cause: text)
        }
        if lowered.contains("not enough free space") {
            // libvirt's own capacity check of the pool: the request is larger than what is left.
            return .conflict("not enough free space to \(verb) \(subject)", cause: text)
        }
        if isCode(in: clientInput) {
            return .invalid("libvirt rejected the request to \(verb) \(subject) as invalid", cause: text)
        }
        if isCode(VIR_ERR_NO_SUPPORT, VIR_ERR_OPERATION_UNSUPPORTED, VIR_ERR_ARGUMENT_UNSUPPORTED) {
            return .unsupported("this libvirt driver cannot \(verb) \(subject)", cause: text)
        }
        return .unavailable("libvirt failed to \(verb) \(subject)", cause: text)
    }

    /// Forgets this thread's last error after a failure that is deliberately ignored.
    static func discard() {
        virResetLastError()
    }
}
