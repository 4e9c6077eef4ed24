// Libvirt module
