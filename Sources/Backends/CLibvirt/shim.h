#ifndef VMGATE_CLIBVIRT_SHIM_H
#define VMGATE_CLIBVIRT_SHIM_H
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#endif
