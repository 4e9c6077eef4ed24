import Spec

extension Fleet {
    /// Checks a create request without creating anything: group, template, sizes, name and
    /// placement are resolved exactly as ``createMachine(_:)`` would, and a name already in
    /// use on the chosen backend is a `conflict`. Returns the request with its name filled in
    /// (generated from the template when it had none), so a dialect can answer a client
    /// mistake with a 4xx at once and run the creation itself in the background.
    public func preflight(_ request: CreateMachineRequest) async throws -> CreateMachineRequest {
        let plan = try await plan(request)
        let name = plan.spec.name
        let existing = try? await call(plan.backend, "machine") { try await $0.machine(named: name) }
        if existing != nil {
            throw SpecError.conflict("machine '\(name)' already exists on backend '\(plan.backend.name)'")
        }
        var resolved = request
        resolved.name = name
        return resolved
    }
}
