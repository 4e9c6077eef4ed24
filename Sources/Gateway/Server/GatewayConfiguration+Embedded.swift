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
        config.groups = [
            GroupSettings(name: "default", backends: ["local"], template: "demo", size: 0),
            // virtualization-server machines get a blank disk, so their group has no template.
            GroupSettings(name: "vserver", backends: ["local"], size: 0),
            // A Comet cluster to try at once; more are created with POST /comet/cluster.
            GroupSettings(
                name: "comet-demo", backends: ["local"], template: "demo", size: 0, options: ["comet.cluster": "true"]),
            // A vmpooler pool kept at 2 ready VMs, also answering to the alias `demo-vm`.
            GroupSettings(
                name: "demo-pool", backends: ["local"], template: "demo", size: 2, aliases: ["demo-vm"],
                options: ["vmpooler": "true"]),
        ]
        config.defaultGroup = "default"
        config.dialects = [
            DialectMount(name: "native"),
            DialectMount(name: "kimchi", options: ["group": "default"]),
            DialectMount(name: "virtualization-server", options: ["group": "vserver", "disk_size_kib": "10485760"]),
            DialectMount(name: "im", options: ["group": "default"]),
            DialectMount(name: "comet"),
            DialectMount(name: "vmpooler", options: ["domain": "vmpooler.local"]),
        ]
        return config
    }
}
