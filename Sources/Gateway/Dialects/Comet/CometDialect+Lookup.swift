import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension CometDialect {
    /// Marks groups that are Comet clusters.
    static let clusterOption = "comet.cluster"

    /// Whether the current principal may see a cluster: its creator, its members, admins and
    /// the gateway itself.
    static func mayReach(_ group: Group) -> Bool {
        guard let principal = AccessControl.principal else { return true }
        return principal.mayAccess(owner: group.options["owner"], group: group.name)
    }

    /// The cluster called `name`, or `notFound`.
    func cluster(_ name: String) throws -> Group {
        guard let group = fleet.groups.group(name), group.name == name, group.options[Self.clusterOption] == "true",
            Self.mayReach(group)
        else {
            throw SpecError.notFound("cluster '\(name)' not found")
        }
        return group
    }

    /// Every VM of a cluster: those on hosts and those released, by name.
    func members(of cluster: Group) async throws -> [CometMember] {
        let list = await fleet.machines(group: cluster.name)
        if !list.warnings.isEmpty, list.machines.isEmpty {
            throw SpecError.unavailable(
                "cannot list the VMs of cluster '\(cluster.name)': " + list.warnings.joined(separator: "; "))
        }
        let live = list.machines.map(CometMember.live)
        let released = try await self.released.records(cluster: cluster.name).map(CometMember.released)
        return (live + released).sorted { $0.name < $1.name }
    }

    /// One VM of a cluster by name, or `notFound`.
    func member(_ name: String, of cluster: Group) async throws -> CometMember {
        guard let member = try await members(of: cluster).first(where: { $0.name == name }) else {
            throw SpecError.notFound("VM '\(name)' not found in cluster '\(cluster.name)'")
        }
        return member
    }

    /// A VM that is defined on its host; `conflict` for released VMs.
    func liveMachine(_ name: String, of cluster: Group) async throws -> Machine {
        switch try await member(name, of: cluster) {
        case .live(let machine): return machine
        case .released:
            throw SpecError.conflict("VM '\(name)' is released from its host; start it first")
        }
    }

    /// Cluster and VM from a request's `:name` and `:vm` parameters.
    func clusterAndVM(_ context: GatewayContext) throws -> (Group, String) {
        (try cluster(try context.parameters.require("name")), try context.parameters.require("vm"))
    }

    // MARK: Links and wire values

    func clusterLink(_ cluster: String) -> String { environment.link("/cluster/\(cluster)") }

    func vmLink(_ cluster: String, _ vm: String) -> String { clusterLink(cluster) + "/vms/\(vm)" }

    func wire(_ member: CometMember, cluster: String) -> CometVM {
        let link = vmLink(cluster, member.name)
        var cpus = 0
        var memoryKiB = 0
        var uuid = ""
        var template: String?
        var screenshot: String?
        switch member {
        case .live(let machine):
            (cpus, memoryKiB, uuid, template) = (
                machine.vcpus, machine.memoryKiB, machine.uuid, machine.metadata.template
            )
            let capable = (try? fleet.backends.backend(machine.backend))?.capabilities.contains(.screenshots) ?? false
            if machine.state == .running, capable { screenshot = link + "/screenshot" }
        case .released(let record):
            (cpus, memoryKiB, uuid) = (record.vcpus, record.memoryKiB, record.uuid)
        }
        return CometVM(
            name: member.name, cluster: cluster, state: member.state, memory: memoryKiB / 1024, cpus: cpus,
            screenshot: CometNullable(screenshot), uuid: uuid, host: member.backend, template: template,
            released: member.isReleased,
            console: link + "/console", storages: link + "/storages", snapshots: link + "/snapshots", href: link,
            actions: ["start", "poweroff", "shutdown", "reset", "stop"])
    }

    func wire(_ cluster: Group, members: [CometMember]) -> CometCluster {
        var counts: [String: Int] = [:]
        for member in members { counts[member.state, default: 0] += 1 }
        let state =
            if members.isEmpty { "empty" } else if counts["running"] == members.count {
                "running"
            } else if counts["shutoff"] == members.count { "shutoff" } else { "partial" }
        return CometCluster(
            name: cluster.name, template: cluster.template, size: cluster.size, backends: cluster.backends,
            state: state,
            counts: counts,
            vms: members.map { CometVMSummary(name: $0.name, state: $0.state, href: vmLink(cluster.name, $0.name)) },
            href: clusterLink(cluster.name), actions: ["start", "stop"])
    }

    func wire(_ task: TaskRecord) -> CometTask {
        CometTask(
            id: task.id, status: task.status.rawValue, message: task.message, target: task.target,
            progress: task.progress)
    }

    /// `?force=true` or a `{"force": true}` body.
    func forceRequested(_ request: Request, context: GatewayContext) async throws -> Bool {
        if let raw = request.uri.queryParameters["force"] {
            guard let value = Bool(String(raw).lowercased()) else {
                throw SpecError.invalid("force must be true or false")
            }
            return value
        }
        return try await JSONWire.decode(CometDeleteOptions.self, from: request, context: context).force ?? false
    }
}
