import Foundation
public import Gateway

extension TestGateway {
    /// Whether the real-libvirtd suites are enabled (`scripts/test` sets `VMGATE_QEMU_URI`).
    public static var qemuEnabled: Bool { ProcessInfo.processInfo.environment["VMGATE_QEMU_URI"] != nil }

    /// A gateway over real QEMU through libvirtd: backend `qemu` on `VMGATE_QEMU_URI` with pool
    /// `VMGATE_QEMU_POOL`, template `tiny` (1 vCPU, 64 MiB, an overlay of `VMGATE_QEMU_BASE`),
    /// an in-memory store, a 60 s call timeout, no network, and no groups or dialects yet.
    public static func qemuConfiguration(blankDiskGiB: Double? = nil) -> GatewayConfiguration {
        let environment = ProcessInfo.processInfo.environment
        let uri = environment["VMGATE_QEMU_URI"] ?? "qemu:///system"
        let pool = environment["VMGATE_QEMU_POOL"] ?? "vmgate"
        let base = environment["VMGATE_QEMU_BASE"] ?? "base.qcow2"
        var config = GatewayConfiguration()
        config.store.path = ":memory:"
        config.backends = try! ConfigurationLoader.parse(
            """
            backends:
              - name: qemu
                uri: "\(uri)"
                defaultPool: \(pool)
            """
        ).backends
        config.backends[0].blankDiskGiB = blankDiskGiB
        config.templates = try! ConfigurationLoader.parse(
            "templates: [{name: tiny, vcpus: 1, memoryMiB: 64, disks: [{pool: \(pool), volume: \(base)}]}]"
        ).templates
        config.callTimeoutSeconds = 60
        return config
    }
}
