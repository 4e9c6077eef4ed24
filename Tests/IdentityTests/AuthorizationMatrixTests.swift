import DialectKit
import Foundation
import GatewayTestSupport
import Hummingbird
import HummingbirdTesting
import Spec
import Testing

@testable import Gateway

/// Every state-changing route of every mounted dialect, enumerated from the routers themselves
/// (a new route cannot skip it), with auth required: no credential is a 401 in the dialect's
/// format, and user B on user A's machine gets what a missing machine gets (404, or the same
/// 400 when the request itself is malformed), and the machine stays as it was.
@Suite("Identity: authorization matrix")
struct AuthorizationMatrixTests {
    /// Dialects under test: registry name, prefix and error format.
    static let dialects: [(name: String, prefix: String, format: ErrorFormat)] = [
        ("native", "/api/v1", .native), ("kimchi", "/kimchi", .kimchi), ("comet", "/comet", .comet),
        ("virtualization-server", "/vserver", .vserver),
    ]

    /// Routes a client reaches without a credential, by design.
    static let publicRoutes: Set<String> = ["POST /kimchi/login", "POST /kimchi/logout"]

    /// The machine of alice's that B goes after, named in every dialect's way.
    struct Target {
        var name: String
        var uuid: String
        var cluster: String

        /// `path` with its parameters filled in: machine parameters name alice's machine (or
        /// cluster), every other parameter a placeholder.
        func fill(_ path: String) -> (path: String, addressesMachine: Bool) {
            var addresses = false
            let segments = path.split(separator: "/", omittingEmptySubsequences: false).enumerated().map {
                index, segment -> String in
                guard segment.hasPrefix("{") || segment.contains("*") else { return String(segment) }
                let previous = index > 0 ? path.split(separator: "/", omittingEmptySubsequences: false)[index - 1] : ""
                switch (previous, segment) {
                case ("machines", "{id}"), ("vms", "{name}"), ("vms", "{vm}"):
                    addresses = true
                    return name
                case ("virtual_machines", "{uuid}"):
                    addresses = true
                    return uuid
                case ("cluster", "{name}"):
                    return cluster
                case (_, "{action}"):
                    return "start"
                default:
                    return "x"
                }
            }
            return (segments.joined(separator: "/"), addresses)
        }
    }

    @Test("no credential → 401 in the dialect's format; B on A's machine → 404; A's machine untouched")
    func matrix() async throws {
        var config = Identity.configuration(
            dialects: "dialects: [{name: native}, {name: kimchi, options: {group: default}}, {name: comet}, "
                + "{name: virtualization-server, options: {group: default}}]")
        config.auth = "required"
        try await TestGateway.run(config) { client, gateway in
            #expect(
                try await client.call(.post, "/comet/cluster", as: "alice", json: #"{"name":"ac","template":"demo"}"#)
                    .status == .created)
            let created = try await client.call(.post, "/comet/cluster/ac/vms", as: "alice", json: #"{"name":"am1"}"#)
            #expect(created.status == .created, "\(created.text)")
            let machine = try await gateway.fleet.machine("am1")
            let target = Target(name: machine.name, uuid: machine.uuid, cluster: "ac")

            let router = Router(context: GatewayContext.self)
            for mount in gateway.mounts { router.addRoutes(mount.dialect.routes(), atPath: RouterPath(mount.prefix)) }
            let routes = router.routes.filter { ![.get, .head, .options].contains($0.method) }
            #expect(routes.count > 40, "the routers list the dialects' routes: \(routes.count)")
            var machineRoutes = 0
            for route in routes {
                let template = route.path.description
                guard let dialect = Self.dialects.first(where: { template.hasPrefix($0.prefix + "/") }) else {
                    Issue.record("a route outside the known dialects: \(route)")
                    continue
                }
                let (path, addressesMachine) = target.fill(template)
                let key = "\(route.method.rawValue) \(template)"
                if !Self.publicRoutes.contains(key) {
                    let anonymous = try await client.call(route.method, path, as: nil, json: "{}")
                    #expect(anonymous.status == .unauthorized, "\(key) without a credential: \(anonymous.text)")
                    #expect(
                        dialect.format.matches(Data(anonymous.text.utf8), status: 401),
                        "\(key): 401 in \(dialect.name)'s format: \(anonymous.text)")
                }
                guard addressesMachine else { continue }
                machineRoutes += 1
                let foreign = try await client.call(route.method, path, as: "bob", json: "{}")
                // B learns nothing: the answer is the one for a machine that does not exist.
                let missing = Target(name: "no-such-vm", uuid: UUID().uuidString.lowercased(), cluster: target.cluster)
                let nothing = try await client.call(route.method, missing.fill(template).path, as: "bob", json: "{}")
                #expect(foreign.status.code >= 400, "\(key) as another user: \(foreign.status) \(foreign.text)")
                #expect(
                    foreign.status == nothing.status,
                    "\(key) as another user: \(foreign.status), for a missing machine \(nothing.status)")
                if foreign.status != .badRequest {
                    #expect(
                        foreign.status == .notFound || foreign.status == .methodNotAllowed,
                        "\(key) as another user: \(foreign.status) \(foreign.text)")
                }
            }
            #expect(machineRoutes > 15, "routes that address a machine: \(machineRoutes)")
            let after = try await gateway.fleet.machine("am1")
            #expect(after.state == machine.state && after.metadata == machine.metadata && after.disks == machine.disks)
            // The owner and an admin reach it.
            #expect(try await client.call(.post, "/kimchi/vms/am1/start", as: "alice").status == .ok)
            #expect(try await client.call(.post, "/api/v1/machines/am1/actions/poweroff", as: "root").status == .ok)
        }
    }
}
