import GatewayTestSupport

/// Every numeric field of every dialect, as probes.
enum Probes {
    static let native: [Probe] = [
        .native(.post, "/machines", #"{"name":"h{n}","vcpus":{v}}"#),
        .native(.post, "/machines", #"{"name":"h{n}","memoryMiB":{v}}"#),
        .native(.post, "/machines", #"{"name":"h{n}","template":null,"group":null,"diskGiB":{v}}"#),
        .native(.post, "/machines", #"{"name":"h{n}","lifetimeHours":{v}}"#).accepting(.zero),
        .native(.patch, "/machines/m1", #"{"vcpus":{v}}"#),
        .native(.patch, "/machines/m1", #"{"memoryMiB":{v}}"#),
        .native(.patch, "/machines/m1", #"{"lifetimeHours":{v}}"#).accepting(.zero),
        .native(.post, "/templates", #"{"name":"t{n}","vcpus":{v}}"#),
        .native(.post, "/templates", #"{"name":"t{n}","memoryMiB":{v}}"#),
        .native(.post, "/templates", #"{"name":"t{n}","disks":[{"index":0,"sizeGiB":{v}}]}"#),
        .native(.post, "/templates", #"{"name":"t{n}","disks":[{"index":{v},"sizeGiB":1}]}"#).accepting(.zero),
        .native(.put, "/templates/demo", #"{"name":"demo","memoryMiB":{v}}"#),
        .native(.put, "/templates/demo", #"{"name":"demo","disks":[{"index":0,"sizeGiB":{v}}]}"#),
        .native(.post, "/storage/pools/vmgate/volumes", #"{"name":"v{n}","capacityBytes":{v}}"#),
        .native(.post, "/storage/pools/vmgate/volumes/hvol/resize", #"{"capacityBytes":{v}}"#),
        .native(.get, "/machines?offset={v}").withStrings().accepting(.zero, .intMax),
        .native(.get, "/machines?limit={v}").withStrings().accepting(.zero, .intMax),
        .native(.get, "/tasks?limit={v}").withStrings().accepting(.zero, .intMax),
        .native(.patch, "/backends/local/machines/m1", #"{"vcpus":{v}}"#),
        .native(.patch, "/backends/local/machines/m1", #"{"memoryKiB":{v}}"#),
        .native(.post, "/backends/local/machines", Self.spec(vcpus: "{v}", memory: "131072", disk: "1048576")),
        .native(.post, "/backends/local/machines", Self.spec(vcpus: "1", memory: "{v}", disk: "1048576")),
        .native(.post, "/backends/local/machines", Self.spec(vcpus: "1", memory: "131072", disk: "{v}")),
        .native(.post, "/backends/local/pools/vmgate/volumes", #"{"name":"bv{n}","capacityBytes":{v},"format":"raw"}"#),
        .native(.post, "/backends/local/pools/vmgate/volumes/hvol/resize", #"{"capacityBytes":{v}}"#),
    ]

    /// A backend-level MachineSpec body with a blank disk.
    static func spec(vcpus: String, memory: String, disk: String) -> String {
        #"{"name":"b{n}","vcpus":\#(vcpus),"memoryKiB":\#(memory),"disks":[{"source":{"blank":{"capacityBytes":\#(disk)}}}],"#
            + #""nics":[],"serialConsole":false,"metadata":{"tags":{},"extra":{}},"start":false}"#
    }

    static let kimchi: [Probe] = [
        .kimchi(.post, "/templates", #"{"name":"k{n}","cpus":{v}}"#),
        .kimchi(.post, "/templates", #"{"name":"k{n}","memory":{v}}"#),
        .kimchi(.post, "/templates", #"{"name":"k{n}","disks":[{"index":0,"size":{v}}]}"#),
        .kimchi(.post, "/templates", #"{"name":"k{n}","disks":[{"index":{v},"size":1}]}"#).accepting(.zero),
        .kimchi(.put, "/templates/demo", #"{"memory":{v}}"#),
        .kimchi(.put, "/vms/m1", #"{"cpus":{v}}"#),
        .kimchi(.put, "/vms/m1", #"{"memory":{v}}"#),
        .kimchi(.post, "/storagepools/vmgate/storagevolumes", #"{"name":"kv{n}","capacity":{v}}"#),
        .kimchi(.post, "/storagepools/vmgate/storagevolumes/hvol/resize", #"{"size":{v}}"#),
    ]

    static let vserver: [Probe] = [
        .vserver(.post, "/virtual_machines", #"{"name":"s{n}","cpu_count":{v},"memory_size":131072}"#),
        .vserver(.post, "/virtual_machines", #"{"name":"s{n}","cpu_count":1,"memory_size":{v}}"#),
        .vserver(.patch, "/virtual_machines/{uuid}", #"{"cpu_count":{v}}"#),
        .vserver(.patch, "/virtual_machines/{uuid}", #"{"memory_size":{v}}"#),
    ]

    static let comet: [Probe] = [
        .comet(.post, "/cluster", #"{"name":"cc{n}","size":{v}}"#).accepting(.zero),
        .comet(.put, "/cluster/c1", #"{"size":{v}}"#).accepting(.zero),
        .comet(.post, "/cluster/c1/vms", #"{"name":"cv{n}","cpus":{v}}"#),
        .comet(.post, "/cluster/c1/vms", #"{"name":"cv{n}","memory":{v}}"#),
        .comet(.put, "/cluster/c1/vms/cv1", #"{"cpus":{v}}"#),
        .comet(.put, "/cluster/c1/vms/cv1", #"{"memory":{v}}"#),
        .comet(.post, "/cluster/c1/stop", #"{"timeout":{v}}"#).accepting(.zero),
        .comet(.post, "/storagepools/vmgate/storagevolumes", #"{"name":"cvol{n}","capacity":{v}}"#),
    ]

    static let vmpooler: [Probe] = [
        .vmpooler(.post, "/vm", #"{"pool1":{v}}"#),
        .vmpooler(.post, "/vm", #"{"pool1":"{v}"}"#).withStrings(),
        .vmpooler(.post, "/ondemandvm", #"{"pool1":"{v}"}"#).withStrings(),
        .vmpooler(.post, "/ondemandvm", #"{"pool1":{v},"demo-vm":1}"#),
        .vmpooler(.put, "/vm/{host}", #"{"lifetime":{v}}"#),
        .vmpooler(.put, "/vm/{host}", #"{"lifetime":"{v}"}"#).withStrings(),
        .vmpooler(.post, "/vm/{host}/disk/{v}").withStrings(),
        .vmpooler(.post, "/config/poolsize", #"{"pool1":"{v}"}"#).withStrings().accepting(.zero),
    ]

    static let im: [Probe] = [
        .im(.post, "/infrastructures", radl: "system s ( cpu.count >= {v} )\ndeploy s 1"),
        .im(.post, "/infrastructures", radl: "system s ( memory.size >= {v} )\ndeploy s 1"),
        .im(.post, "/infrastructures", radl: "system s ( memory.size >= '{v}' )\ndeploy s 1"),
        .im(.post, "/infrastructures", radl: "system s ( memory.size >= {v}m )\ndeploy s 1"),
        .im(.post, "/infrastructures", radl: "system s ( disk.0.size >= {v} )\ndeploy s 1"),
        .im(.post, "/infrastructures", radl: "system s ( cpu.count >= 1 )\ndeploy s {v}").accepting(.zero),
        .im(.post, "/infrastructures/{inf}", radl: "system front\ndeploy front {v}").accepting(.zero),
        .im(.put, "/infrastructures/{inf}/vms/0", radl: "system front ( cpu.count >= {v} )"),
        .im(.put, "/infrastructures/{inf}/vms/0", radl: "system front ( memory.size >= {v} )"),
        .im(.get, "/infrastructures/{inf}/vms/{v}", radl: "").accepting(.zero),
        .im(.put, "/infrastructures/{inf}/vms/0/disks/{v}/snapshot?image_name=snap{n}", radl: "").accepting(.zero),
        .imJSON(
            .post, "/infrastructures",
            #"[{"class":"system","id":"s","cpu.count":{v}},{"class":"deploy","system":"s","vm_number":1}]"#),
        .imJSON(
            .post, "/infrastructures", #"[{"class":"system","id":"s"},{"class":"deploy","system":"s","vm_number":{v}}]"#
        ).accepting(.zero),
    ]

    static let all = native + kimchi + vserver + comet + vmpooler + im
}
