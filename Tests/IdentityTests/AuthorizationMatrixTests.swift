import DialectKit
import Foundation
import GatewayTestSupport
import HTTPTypes
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
        ("virtualization-server", "/vserver", .vserver), ("im", "/im", .im), ("vmpooler", "/vmpooler", .vmpooler),
    ]

    /// A RADL with one VM from the gateway's `demo` template.
    static let radl = """
        network publica (outbound = 'yes')
        system front (cpu.count >= 1 and memory.size >= 128m and net_interface.0.connection = 'publica' and
          disk.0.image.url = 'vmgate://gateway/demo')
        deploy front 1
        """

    /// How `user` proves who they are to `dialect`.
    static func credential(_ user: String, dialect: String, tokens: [String: String]) -> HTTPFields {
        switch dialect {
        case "im":
            [
                .authorization:
                    "id = im; type = InfrastructureManager; username = \(user); password = \(Identity.password)"
            ]
        case "vmpooler": [HTTPField.Name("X-AUTH-TOKEN")!: tokens[user] ?? ""]
        default: Identity.basic(user)
        }
    }

    /// Routes a client reaches without a credential, by design.
    static let publicRoutes: Set<String> = [
        "POST /kimchi/login", "POST /kimchi/logout", "POST /vmpooler/token", "POST /vmpooler/api/v1/token",
        "POST /vmpooler/api/v3/token",
    ]

    /// The machine of alice's that B goes after, named in every dialect's way.
    struct Target {
        var name: String
        var uuid: String
        var cluster: String
        var infrastructure: String
        var hostname: String

        /// `path` with its parameters filled in: machine parameters name alice's machine (or
        /// cluster), every other parameter a placeholder.
        func fill(_ path: String) -> (path: String, addressesMachine: Bool) {
            var addresses = false
            let segments = path.split(separator: "/", omittingEmptySubsequences: false).enumerated().map {
                index, segment -> String in
                guard segment.hasPrefix("{") || segment.contains("*") else { return String(segment) }
                let previous = index > 0 ? path.split(separator: "/", omittingEmptySubsequences: false)[index - 1] : ""
                switch (previous, segment) {
                case ("vms", "{vm}") where path.contains("/infrastructures/"):
                    return "0"
                case ("machines", "{id}"), ("vms", "{name}"), ("vms", "{vm}"):
                    addresses = true
                    return name
                case ("virtual_machines", "{uuid}"):
                    addresses = true
                    return uuid
                case ("cluster", "{name}"):
                    return cluster
                case ("infrastructures", "{id}"):
                    addresses = true
                    return infrastructure
                case ("vm", "{hostname}"):
                    addresses = true
                    return hostname
                case (_, "{action}"):
                    return "start"
                default:
                    return "x"
                }
            }
            return (segments.joined(separator: "/"), addresses)
        }
    }

    /// Checks out one VM of `pool1` with `token`, waiting for the pool to fill; its hostname.
    static func checkout(_ client: some TestClientProtocol, token: String) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let reply = try await client.call(
                .post, "/vmpooler/vm/pool1", as: nil, headers: [HTTPField.Name("X-AUTH-TOKEN")!: token])
            if reply.status == .ok, let pool = reply.body["pool1"] as? [String: Any],
                let hostname = pool["hostname"] as? String
            {
                return hostname
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("pool1 never had a VM ready")
        return "none"
    }

    @Test("no credential → 401 in the dialect's format; B on A's machine → 404; A's machine untouched")
    func matrix() async throws {
        var config = Identity.configuration(
            dialects: "dialects: [{name: native}, {name: kimchi, options: {group: default}}, {name: comet}, "
                + "{name: virtualization-server, options: {group: default}}, {name: im, options: {group: default}}, "
                + "{name: vmpooler, options: {loopInterval: '0.05'}}]")
        config.groups.append(
            .init(name: "pool1", backends: ["local"], template: "demo", size: 1, options: ["vmpooler": "true"]))
        config.auth = "required"
        try await TestGateway.run(config) { client, gateway in
            #expect(
                try await client.call(.post, "/comet/cluster", as: "alice", json: #"{"name":"ac","template":"demo"}"#)
                    .status == .created)
            let created = try await client.call(.post, "/comet/cluster/ac/vms", as: "alice", json: #"{"name":"am1"}"#)
            #expect(created.status == .created, "\(created.text)")
            let machine = try await gateway.fleet.machine("am1")
            var tokens: [String: String] = [:]
            for user in ["alice", "bob"] {
                let issued = try await client.call(.post, "/vmpooler/token", as: user)
                tokens[user] = ((issued.body["token"] as? String) ?? "")
            }
            let deployed = try await client.call(
                .post, "/im/infrastructures", as: nil, json: nil,
                headers: Self.credential("alice", dialect: "im", tokens: tokens) + [
                    HTTPField(name: .contentType, value: "text/plain")
                ],
                body: Self.radl)
            #expect(deployed.status == .ok, "\(deployed.text)")
            let infrastructure = String(deployed.text.split(separator: "/").last ?? "")
            let hostname = try await Self.checkout(client, token: tokens["alice"] ?? "")
            let target = Target(
                name: machine.name, uuid: machine.uuid, cluster: "ac", infrastructure: infrastructure,
                hostname: hostname)

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
                    let anonymous = try await client.call(
                        route.method, path, as: nil, json: "{}", headers: [.accept: "application/json"])
                    let expected = HTTPResponse.Status.unauthorized
                    #expect(anonymous.status == expected, "\(key) without a credential: \(anonymous.text)")
                    #expect(
                        dialect.format.matches(Data(anonymous.text.utf8), status: Int(expected.code)),
                        "\(key): 401 in \(dialect.name)'s format: \(anonymous.text)")
                }
                guard addressesMachine else { continue }
                machineRoutes += 1
                let bob = Self.credential("bob", dialect: dialect.name, tokens: tokens)
                let foreign = try await client.call(route.method, path, as: nil, json: "{}", headers: bob)
                if dialect.name == "vmpooler" {
                    // vmpooler's own model: another user's token on a VM is a 401, as in vmpooler.
                    #expect(
                        [.unauthorized, .notFound, .methodNotAllowed].contains(foreign.status),
                        "\(key) as another user: \(foreign.status) \(foreign.text)")
                    continue
                }
                // B learns nothing: the answer is the one for a machine that does not exist.
                let missing = Target(
                    name: "no-such-vm", uuid: UUID().uuidString.lowercased(), cluster: target.cluster,
                    infrastructure: UUID().uuidString.lowercased(), hostname: "no-such-host")
                let nothing = try await client.call(
                    route.method, missing.fill(template).path, as: nil, json: "{}", headers: bob)
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
            let alice = Self.credential("alice", dialect: "im", tokens: tokens)
            let still = try await client.call(.get, "/im/infrastructures/\(infrastructure)", as: nil, headers: alice)
            #expect(still.status == .ok, "\(still.text)")
            #expect(try await gateway.fleet.machine(hostname).metadata.owner == "alice")
            // The owner and an admin reach it.
            #expect(try await client.call(.post, "/kimchi/vms/am1/start", as: "alice").status == .ok)
            #expect(try await client.call(.post, "/api/v1/machines/am1/actions/poweroff", as: "root").status == .ok)
        }
    }
}
