import DialectKit
import Foundation
import GatewayCore
import Spec

/// Outcome of contextualizing one VM.
struct IMContextOutcome: Sendable {
    /// true when every recipe was delivered, false when one could not be.
    var ok: Bool
    /// Log lines for `contmsg`.
    var message: String
    /// The seed volume (`pool/volume`) attached, if any.
    var seed: String?
}

/// The recipes that apply to a VM and what of them vmgate can deliver.
struct IMRecipePlan: Sendable {
    /// Log lines so far.
    var log = ""
    /// false when a recipe cannot be applied (Ansible).
    var ok = true
    /// cloud-init user data to deliver, if any.
    var userData: String?
    /// Name of the configure the user data comes from.
    var source = ""
}

extension IMDialect {
    /// Sorts the VM's `configure` recipes: cloud-init ones (`#cloud-config`, or items `with
    /// cloud_init`) are delivered as a NoCloud seed; vmgate has no guest access, so other
    /// (Ansible) recipes are reported as not applied.
    func recipePlan(system: String, vm: Int, document: RADLDocument) -> IMRecipePlan {
        let recipes = document.recipes(for: system)
        let stamp = ISO8601DateFormatter().string(from: Date())
        var plan = IMRecipePlan()
        guard !recipes.isEmpty else {
            plan.log = "\(stamp) VM \(vm): no configure recipes for system '\(system)'; configured once running.\n"
            return plan
        }
        let cloud = recipes.filter { Self.isCloudInit($0.configure.recipes, tool: $0.tool) }
        for other in recipes where !Self.isCloudInit(other.configure.recipes, tool: other.tool) {
            plan.ok = false
            plan.log +=
                "\(stamp) VM \(vm): configure '\(other.configure.name)' is not cloud-init; vmgate cannot run Ansible recipes, not applied.\n"
        }
        if let first = cloud.first {
            plan.userData = Self.userData(first.configure.recipes ?? "")
            plan.source = first.configure.name
            if cloud.count > 1 {
                plan.log +=
                    "\(stamp) VM \(vm): only the first cloud-init recipe ('\(first.configure.name)') is used; \(cloud.count - 1) more ignored.\n"
            }
        }
        return plan
    }

    /// Makes the seed volume of a VM about to be created on `backend` (passed to the machine as
    /// its CD-ROM, so it is there from the first boot).
    func prepareSeed(_ plan: IMRecipePlan, machineName: String, system: String, vm: Int, backend: String) async
        -> IMContextOutcome
    {
        var outcome = IMContextOutcome(ok: plan.ok, message: plan.log)
        guard let userData = plan.userData else { return outcome }
        let stamp = ISO8601DateFormatter().string(from: Date())
        do {
            let seed = try await createSeed(
                name: "\(machineName)-cidata.iso", backend: backend, userData: userData,
                metaData: "instance-id: \(machineName)\nlocal-hostname: \(system)-\(vm)\n")
            outcome.seed = seed.volume
            outcome.message +=
                "\(stamp) VM \(vm): cloud-init recipe '\(plan.source)' delivered as NoCloud seed \(seed.volume) (CD-ROM).\n"
            if !seed.written {
                outcome.ok = false
                outcome.message +=
                    "\(stamp) VM \(vm): backend '\(backend)' cannot receive uploads; the seed volume is empty.\n"
            }
        } catch {
            outcome.ok = false
            let spec = SpecError.wrap(error)
            environment.logger.failure(spec, "contextualization failed", metadata: ["vmgate.machine": "\(machineName)"])
            outcome.message += "\(stamp) VM \(vm): contextualization failed: \(spec.message)\n"
        }
        return outcome
    }

    /// Contextualizes an existing VM again (reconfigure): rewrites its seed, or attaches a new one
    /// when the backend can attach disks (it takes effect at the next boot).
    func contextualize(_ vm: IMVM, in infrastructure: IMInfrastructure, document: RADLDocument) async
        -> IMContextOutcome
    {
        let plan = recipePlan(system: vm.system.id, vm: vm.id, document: document)
        var outcome = IMContextOutcome(ok: plan.ok, message: plan.log, seed: vm.seed)
        guard let userData = plan.userData, let id = vm.machine else { return outcome }
        let stamp = ISO8601DateFormatter().string(from: Date())
        do {
            let machine = try await fleet.machine(id)
            let metaData =
                "instance-id: \(machine.name)-\(Int(Date().timeIntervalSince1970))\nlocal-hostname: \(vm.system.id)-\(vm.id)\n"
            var written = true
            if let seed = vm.seed {
                let parts = seed.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw SpecError.invalid("seed '\(seed)' is not pool/volume") }
                let fleet = self.fleet
                written = try await SeedISO.withImage(userData: userData, metaData: metaData) { iso in
                    do {
                        _ = try await fleet.onPool(parts[0], backend: machine.backend, "writeVolume") {
                            try await $0.writeVolume(named: parts[1], inPool: parts[0], from: iso)
                        }
                        return true
                    } catch let error as SpecError where error.kind == .unsupported {
                        return false
                    }
                }
            } else {
                let seed = try await createSeed(
                    name: "\(machine.name)-cidata.iso", backend: machine.backend, userData: userData, metaData: metaData
                )
                outcome.seed = seed.volume
                written = seed.written
                let parts = seed.volume.split(separator: "/", maxSplits: 1).map(String.init)
                do {
                    _ = try await fleet.attachDisk(
                        DiskAttachment(pool: parts[0], volume: parts[1], live: false, persistent: true, cdrom: true),
                        to: id)
                } catch {
                    await deleteSeed(seed.volume, backend: machine.backend)
                    outcome.seed = nil
                    throw error
                }
            }
            outcome.message +=
                "\(stamp) VM \(vm.id): cloud-init recipe '\(plan.source)' delivered as NoCloud seed \(outcome.seed ?? "") (CD-ROM); the guest reads it at its next boot.\n"
            if !written {
                outcome.ok = false
                outcome.message +=
                    "\(stamp) VM \(vm.id): backend '\(machine.backend)' cannot receive uploads; the seed volume is empty.\n"
            }
        } catch {
            outcome.ok = false
            let spec = SpecError.wrap(error)
            environment.logger.failure(spec, "contextualization failed", metadata: ["vmgate.machine": "\(id)"])
            outcome.message += "\(stamp) VM \(vm.id): contextualization failed: \(spec.message)\n"
        }
        return outcome
    }

    static func isCloudInit(_ recipes: String?, tool: String?) -> Bool {
        if let tool, tool.lowercased().replacingOccurrences(of: "-", with: "_") == "cloud_init" { return true }
        guard let recipes else { return false }
        return recipes.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("#cloud-config")
    }

    /// Recipe text with the common indentation of its lines removed (RADL recipes are often indented).
    static func userData(_ recipe: String) -> String {
        let lines = recipe.split(separator: "\n", omittingEmptySubsequences: false)
        let indent =
            lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }.joined(separator: "\n")
            .trimmingCharacters(in: .newlines) + "\n"
    }

    /// Builds a seed ISO and uploads it through the backend as a new raw volume of the backend's
    /// default pool. A backend that cannot receive uploads gets an empty volume of the same size
    /// (`written` false), so the machine still has its CD-ROM.
    private func createSeed(name: String, backend: String, userData: String, metaData: String) async throws
        -> (volume: String, written: Bool)
    {
        guard let pool = fleet.backends.defaults(backend).pool else {
            throw SpecError.unsupported("backend '\(backend)' has no default storage pool for seed images")
        }
        let fleet = self.fleet
        let written = try await SeedISO.withImage(userData: userData, metaData: metaData) { iso in
            do {
                let volume = try await fleet.onPool(pool, backend: backend, "uploadVolume") {
                    try await $0.uploadVolume(named: name, inPool: pool, from: iso)
                }
                try await fleet.recordVolume(volume)
                return true
            } catch let error as SpecError where error.kind == .unsupported {
                let capacity = max(1 << 20, (iso.byteCount + (1 << 20) - 1) / (1 << 20) * (1 << 20))
                _ = try await fleet.createVolume(
                    VolumeSpec(name: name, capacityBytes: capacity, format: "raw"), inPool: pool, backend: backend)
                return false
            }
        }
        return ("\(pool)/\(name)", written)
    }

    /// Removes a seed volume (after its machine is gone).
    func deleteSeed(_ seed: String, backend: String?) async {
        let parts = seed.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return }
        do { try await fleet.deleteVolume(parts[1], inPool: parts[0], backend: backend) } catch {
            environment.logger.warning(
                "could not delete a seed image", metadata: ["volume": "\(seed)", "error": "\(error)"])
        }
    }
}
