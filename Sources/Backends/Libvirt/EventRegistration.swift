internal import CLibvirt
import Spec

/// Receives libvirt callbacks on the event-loop thread. Handlers must only hand work off.
final class EventSink: Sendable {
    let onDomainEvent: @Sendable (String, MachineEvent.Kind) -> Void
    let onClose: @Sendable (Int32) -> Void

    init(
        onDomainEvent: @escaping @Sendable (String, MachineEvent.Kind) -> Void,
        onClose: @escaping @Sendable (Int32) -> Void
    ) {
        self.onDomainEvent = onDomainEvent
        self.onClose = onClose
    }

    /// A retained opaque pointer for one registration; libvirt releases it through ``releaseSink``.
    func retainedOpaque() -> UnsafeMutableRawPointer {
        Unmanaged.passRetained(self).toOpaque()
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> EventSink? {
        opaque.map { Unmanaged<EventSink>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// Callbacks registered on one connection, so they can be removed again.
struct EventRegistration: Sendable {
    var callbackIDs: [Int32] = []
    var hasCloseCallback = false

    /// Registers the close callback and domain event callbacks. Runs on a thread-pool thread.
    static func register(_ connection: LibvirtConnection, sink: EventSink) -> EventRegistration {
        var registration = EventRegistration()
        let conn = connection.pointer
        if virConnectRegisterCloseCallback(conn, closeCallback, sink.retainedOpaque(), releaseSink) == 0 {
            registration.hasCloseCallback = true
        } else {
            LibvirtError.discard()
        }
        var ids = [vmgate_register_lifecycle(conn, lifecycleCallback, sink.retainedOpaque(), releaseSink)]
        ids.append(vmgate_register_metadata(conn, metadataCallback, sink.retainedOpaque(), releaseSink))
        for event in [VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED] {
            ids.append(
                vmgate_register_device(conn, Int32(event.rawValue), deviceCallback, sink.retainedOpaque(), releaseSink))
        }
        // A failed registration never takes ownership of the opaque pointer: libvirt calls the free
        // callback only for registered callbacks, so a failure leaks one small object, once.
        registration.callbackIDs = ids.filter { $0 >= 0 }
        if registration.callbackIDs.count != ids.count { LibvirtError.discard() }
        return registration
    }

    /// Removes the callbacks (errors ignored: the connection may already be gone).
    func deregister(_ connection: LibvirtConnection) {
        for id in callbackIDs {
            _ = virConnectDomainEventDeregisterAny(connection.pointer, id)
        }
        if hasCloseCallback {
            _ = virConnectUnregisterCloseCallback(connection.pointer, closeCallback)
        }
        LibvirtError.discard()
    }

    /// Maps a `virDomainEventType` onto a ``MachineEvent/Kind``.
    static func kind(of event: Int32) -> MachineEvent.Kind {
        switch UInt32(bitPattern: event) {
        case VIR_DOMAIN_EVENT_DEFINED.rawValue: .defined
        case VIR_DOMAIN_EVENT_UNDEFINED.rawValue: .undefined
        case VIR_DOMAIN_EVENT_STARTED.rawValue: .started
        case VIR_DOMAIN_EVENT_SUSPENDED.rawValue, VIR_DOMAIN_EVENT_PMSUSPENDED.rawValue: .suspended
        case VIR_DOMAIN_EVENT_RESUMED.rawValue: .resumed
        case VIR_DOMAIN_EVENT_STOPPED.rawValue: .stopped
        case VIR_DOMAIN_EVENT_SHUTDOWN.rawValue: .shutdown
        case VIR_DOMAIN_EVENT_CRASHED.rawValue: .crashed
        default: .changed
        }
    }
}

private func domainName(_ domain: OpaquePointer?) -> String? {
    domain.flatMap { virDomainGetName($0) }.map { String(cString: $0) }
}

private let releaseSink: virFreeCallback = { opaque in
    if let opaque { Unmanaged<EventSink>.fromOpaque(opaque).release() }
}

private let closeCallback: virConnectCloseFunc = { _, reason, opaque in
    EventSink.from(opaque)?.onClose(reason)
}

private let lifecycleCallback: vmgate_lifecycle_cb = { _, domain, event, _, opaque in
    if let sink = EventSink.from(opaque), let name = domainName(domain) {
        sink.onDomainEvent(name, EventRegistration.kind(of: event))
    }
    return 0
}

private let metadataCallback: vmgate_metadata_cb = { _, domain, _, _, opaque in
    if let sink = EventSink.from(opaque), let name = domainName(domain) {
        sink.onDomainEvent(name, .changed)
    }
}

private let deviceCallback: vmgate_device_cb = { _, domain, _, opaque in
    if let sink = EventSink.from(opaque), let name = domainName(domain) {
        sink.onDomainEvent(name, .changed)
    }
}
