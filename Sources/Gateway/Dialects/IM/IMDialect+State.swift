import DialectKit
import Foundation
import GatewayCore
import Spec

extension IMDialect {
    /// IM's state of a VM: pending, running, unconfigured, configured, stopped, off, failed,
    /// deleting or unknown.
    static func state(_ vm: IMVM, _ machine: Machine?) -> String {
        if vm.failure != nil { return "failed" }
        guard let machine else { return "unknown" }
        switch machine.state {
        case .pending: return "pending"
        case .running:
            switch vm.contextualized {
            case .some(true): return "configured"
            case .some(false): return "unconfigured"
            case .none: return "running"
            }
        case .paused: return "stopped"
        case .shutoff: return vm.stopped ? "stopped" : "off"
        case .crashed: return "failed"
        case .unknown: return "unknown"
        }
    }

    /// IM's aggregate: failed or unknown win, then pending, running, stopped/off, configured, unconfigured.
    static func aggregate(_ states: [String]) -> String {
        var result: String?
        for state in states {
            switch state {
            case "failed", "unknown": return state
            case "pending": result = "pending"
            case "running": if result != "pending" { result = "running" }
            case "stopped", "off", "configured": if result == nil { result = state }
            case "unconfigured": if result == nil || result == "configured" { result = "unconfigured" }
            default: break
            }
        }
        return result ?? "unknown"
    }

    /// The machines of an infrastructure by machine id (one listing of its group).
    func machines(of infrastructure: IMInfrastructure) async throws -> [String: Machine] {
        let list = await fleet.machines(group: infrastructure.group, backend: infrastructure.backend)
        if list.machines.isEmpty, !list.warnings.isEmpty, !infrastructure.vms.isEmpty {
            throw SpecError.unavailable(list.warnings.joined(separator: "; "))
        }
        return Dictionary(list.machines.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// `{"state": …, "vm_states": {"0": …}}`.
    func stateObject(_ infrastructure: IMInfrastructure) async throws -> [String: Any] {
        let machines = try await machines(of: infrastructure)
        var vmStates: [String: String] = [:]
        for vm in infrastructure.vms { vmStates["\(vm.id)"] = Self.state(vm, vm.machine.flatMap { machines[$0] }) }
        return ["state": Self.aggregate(infrastructure.vms.map { vmStates["\($0.id)"]! }), "vm_states": vmStates]
    }

    /// The RADL IM returns for a VM: the networks it connects to and its system with the real
    /// state, addresses, cpu and memory.
    func info(_ vm: IMVM, _ infrastructure: IMInfrastructure, _ machine: Machine?) -> RADLDocument {
        var system = vm.system
        system.set("state", .string(Self.state(vm, machine)))
        system.set("provider.type", .string("vmgate"))
        if let machine {
            system.set("instance_id", .string(machine.id))
            system.set("instance_name", .string(machine.name))
            system.set("provider.host", .string(machine.backend))
            system.set("cpu.count", .number(Double(machine.vcpus), unit: nil))
            system.set("memory.size", .number(Double(machine.memoryMiB), unit: "M"))
            for (index, nic) in machine.nics.enumerated() {
                if let address = nic.addresses.first { system.set("net_interface.\(index).ip", .string(address)) }
                system.set("net_interface.\(index).mac", .string(nic.mac))
            }
            for (index, disk) in machine.disks.filter({ $0.device == "disk" }).enumerated() {
                if let bytes = disk.capacityBytes {
                    system.set("disk.\(index).size", .number(Double(bytes / 1_048_576), unit: "M"))
                }
                system.set("disk.\(index).device", .string(disk.target))
            }
        }
        var document = RADLDocument()
        let connected = Set(system.features.filter { $0.name.hasSuffix(".connection") }.compactMap(\.value.text))
        document.networks = infrastructure.document.networks.filter { connected.contains($0.id) }
        document.systems = [system]
        return document
    }

    /// One VM of an owned infrastructure, or 404.
    func vm(_ raw: String, of infrastructure: IMInfrastructure) throws -> IMVM {
        guard let id = Int(raw), let vm = infrastructure.vm(id) else {
            throw IMFailure(404, "Invalid VM ID \(raw) in infrastructure \(infrastructure.id)")
        }
        return vm
    }

    /// The VM's machine, nil if it no longer exists.
    func machine(of vm: IMVM) async throws -> Machine? {
        guard let id = vm.machine else { return nil }
        do { return try await fleet.machine(id) } catch let error as SpecError where error.kind == .notFound {
            return nil
        }
    }
}
