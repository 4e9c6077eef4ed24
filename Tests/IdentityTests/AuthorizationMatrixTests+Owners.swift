import DialectKit
import Foundation
import GatewayTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Spec
import Testing

@testable import Gateway

extension AuthorizationMatrixTests {
    /// Whether an answer shows the request got past authorization: not a 401 or 403, and not
    /// the 404 of a machine or infrastructure the caller may not see (a 404 naming the
    /// placeholder `x` is about a sub-resource, such as a snapshot, that does not exist).
    static func passedAuthorization(_ status: HTTPResponse.Status, _ text: String) -> Bool {
        if status == .unauthorized || status == .forbidden { return false }
        if status == .notFound {
            return ["'x'", "\"x\"", " x ", ": x\""].contains { text.contains($0) }
        }
        return true
    }

    @Test("every state-changing route on A's machine gets past authorization for A and for an admin")
    func ownerAndAdmin() async throws {
        var config = Identity.configuration(
            dialects: "dialects: [{name: native}, {name: kimchi, options: {group: default}}, {name: comet}, "
                + "{name: virtualization-server, options: {group: default}}, {name: im, options: {group: default}}]")
        config.auth = "required"
        try await TestGateway.run(config) { client, gateway in
            _ = try await client.call(.post, "/comet/cluster", as: "alice", json: #"{"name":"ac","template":"demo"}"#)
            let router = Router(context: GatewayContext.self)
            for mount in gateway.mounts { router.addRoutes(mount.dialect.routes(), atPath: RouterPath(mount.prefix)) }
            var checked = 0
            var serial = 0
            for route in router.routes where ![.get, .head, .options].contains(route.method) {
                let template = route.path.description
                guard let dialect = Self.dialects.first(where: { template.hasPrefix($0.prefix + "/") }) else {
                    continue
                }
                for user in ["alice", "root"] {
                    // A fresh machine (and infrastructure) of alice's for every request, as routes may delete them.
                    serial += 1
                    let made = try await client.call(
                        .post, "/api/v1/machines", as: "alice", json: #"{"name":"f\#(serial)","group":"ac"}"#)
                    let uuid = made.body["uuid"] as? String ?? ""
                    var infrastructure = ""
                    if dialect.name == "im" {
                        let deployed = try await client.call(
                            .post, "/im/infrastructures", as: nil,
                            headers: Self.credential("alice", dialect: "im", tokens: [:]) + [
                                HTTPField(name: .contentType, value: "text/plain")
                            ], body: Self.radl)
                        infrastructure = String(deployed.text.split(separator: "/").last ?? "")
                    }
                    let target = Target(
                        name: "f\(serial)", uuid: uuid, cluster: "ac", infrastructure: infrastructure, hostname: "")
                    let (path, addressesMachine) = target.fill(template)
                    guard addressesMachine else { break }
                    let answer = try await client.call(
                        route.method, path, as: nil, json: "{}",
                        headers: Self.credential(user, dialect: dialect.name, tokens: [:]) + [
                            HTTPField(name: .accept, value: "application/json")
                        ])
                    #expect(
                        Self.passedAuthorization(answer.status, answer.text),
                        "\(route.method.rawValue) \(template) as \(user): \(answer.status) \(answer.text.prefix(200))")
                    checked += 1
                }
            }
            #expect(checked > 30, "requests checked: \(checked)")
        }
    }
}
