extension GatewayConfiguration {
    /// What vmgate runs with when no configuration file is given: libvirt's test driver,
    /// SQLite under `./data`, a demo template and a group for every dialect.
    public static var embeddedDefault: GatewayConfiguration {
        var config = GatewayConfiguration()
        config.backends = [
            BackendSettings(
                name: "local", type: "libvirt", uri: "test:///default", defaultPool: "default-pool", network: "default",
                networkType: "network",
                seedVolumes: [SeedVolume(pool: "default-pool", name: "demo-base.qcow2", capacityMiB: 1024)])
        ]
        config.templates = [
            TemplateSettings(
                name: "demo", vcpus: 1, memoryMiB: 128,
                disks: [.init(index: 0, sizeGiB: nil, pool: "default-pool", volume: "demo-base.qcow2")],
                osDistro: "demo", osVersion: "1", graphics: "vnc")
        ]
        config.groups = [GroupSettings(name: "default", backends: ["local"], template: "demo", size: 0)]
        config.defaultGroup = "default"
        config.dialects = [DialectMount(name: "native")]
        return config
    }
}
