import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec
import Synchronization

extension KimchiDialect {
    /// `POST /vms`: checks everything first (a client mistake is a 4xx and nothing is made),
    /// then creates. A creation that finishes within `taskAfterSeconds` answers `201` with
    /// the VM; a longer one answers `202` with a task that finishes when the VM exists.
    func createVM(_ body: KimchiCreateVM) async throws -> Response {
        guard let templateName = Self.identifier(fromURI: body.template, collection: "templates") else {
            throw SpecError.invalid("template must be a template URI such as '/templates/NAME', not '\(body.template)'")
        }
        let template: Template
        do { template = try await fleet.requireTemplate(templateName) } catch let error as SpecError
            where error.kind == .notFound
        {
            throw SpecError.invalid("template '\(templateName)' does not exist")
        }
        var pool: String?
        if let uri = body.storagepool {
            guard let name = Self.identifier(fromURI: uri, collection: "storagepools") else {
                throw SpecError.invalid("storagepool must be a URI such as '/storagepools/NAME', not '\(uri)'")
            }
            try await requirePool(name)
            pool = name
        }
        if let name = body.name { try NameRules.validate(name, what: "VM name") }
        var extra: [String: String] = [:]
        if let icon = template.icon { extra[Self.iconKey] = icon }
        let request = try await fleet.preflight(
            CreateMachineRequest(
                name: body.name, template: template.name, group: group, storagePool: pool, extra: extra))
        let name = request.name ?? ""
        let fleet = self.fleet
        let creation = Task { try await fleet.createMachine(request) }
        if taskAfter > .zero, let outcome = await Self.outcome(of: creation, within: taskAfter) {
            let machine = try outcome.get()
            return try await vmResponse(machine, status: .created, headers: [.location: vmLink(machine)])
        }
        let record = try await fleet.tasks.start(
            kind: "machine.create", target: environment.link("/vms/\(name)"), message: "creating VM '\(name)'"
        ) { _ in
            let machine = try await creation.value
            return "VM '\(machine.name)' created from template '\(template.name)'"
        }
        return try JSONWire.response(
            task(record), status: .accepted, headers: [.location: environment.link("/tasks/\(record.id)")])
    }

    /// `invalid` (a bad reference in a request body) unless pool `name` exists.
    func requirePool(_ name: String) async throws {
        do { _ = try await fleet.storagePool(name) } catch let error as SpecError where error.kind == .notFound {
            throw SpecError.invalid("storage pool '\(name)' does not exist")
        }
    }

    /// The result of `work` if it finishes within `limit`, else nil (the work goes on).
    static func outcome<T: Sendable>(of work: Task<T, any Error>, within limit: Duration) async -> Result<T, any Error>?
    {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>?, Never>) in
            let once = ResumeOnce(continuation)
            Task { once.resume(await work.result) }
            Task {
                try? await Task.sleep(for: limit)
                once.resume(nil)
            }
        }
    }
}

/// Resumes a continuation with the first value offered.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>

    init(_ continuation: CheckedContinuation<T, Never>) { self.continuation = Mutex(continuation) }

    func resume(_ value: T) {
        continuation.withLock { continuation in
            continuation?.resume(returning: value)
            continuation = nil
        }
    }
}
