#ifndef VMGATE_CLIBVIRT_SHIM_H
#define VMGATE_CLIBVIRT_SHIM_H
#include <stddef.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/* Typed registration helpers: libvirt's virConnectDomainEventRegisterAny takes a generic
 * callback that must be cast to the event-specific signature, which is awkward from Swift. */

typedef int (*vmgate_lifecycle_cb)(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque);
typedef void (*vmgate_metadata_cb)(virConnectPtr conn, virDomainPtr dom, int type, const char *nsuri, void *opaque);
typedef void (*vmgate_device_cb)(virConnectPtr conn, virDomainPtr dom, const char *devAlias, void *opaque);

static inline int vmgate_register_lifecycle(virConnectPtr conn, vmgate_lifecycle_cb cb, void *opaque,
                                            virFreeCallback freecb) {
    return virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                            VIR_DOMAIN_EVENT_CALLBACK(cb), opaque, freecb);
}

static inline int vmgate_register_metadata(virConnectPtr conn, vmgate_metadata_cb cb, void *opaque,
                                           virFreeCallback freecb) {
    return virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
                                            VIR_DOMAIN_EVENT_CALLBACK(cb), opaque, freecb);
}

static inline int vmgate_register_device(virConnectPtr conn, int eventID, vmgate_device_cb cb, void *opaque,
                                         virFreeCallback freecb) {
    return virConnectDomainEventRegisterAny(conn, NULL, eventID, VIR_DOMAIN_EVENT_CALLBACK(cb), opaque, freecb);
}

#endif
