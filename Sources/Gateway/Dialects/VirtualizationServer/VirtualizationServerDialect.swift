public import DialectKit
import Foundation
import GatewayCore
public import Hummingbird
import Spec

/// The virtualization-server API (`/virtual_machines`), mounted at `/vserver` by default.
///
/// Options: `group` (group of new machines; default the gateway's default group — give it
/// no template so machines get a blank disk), `network` and `network_type` (`network` or
/// `bridge`: what new machines attach to; default the backend's), `disk_size_kib` (size of
/// the blank disk; default the backend's).
///
/// States are virsh's words (`running`, `paused`, `shut off`, `in shutdown`, `crashed`).
/// A `PATCH` answers with the state the machine is actually in afterwards (`running` after
/// `started`), not with the requested word, so a client sees the same state as in `GET`.
public struct VirtualizationServerDialect: Dialect {
    public static let name = "virtualization-server"
    public static let defaultPrefix = "/vserver"
    let environment: DialectEnvironment
    let group: String?
    let network: String?
    let networkType: String?
    let diskBytes: Int?
    let deviceUUIDs = DeviceUUIDCache()
    let listCache = ResponseCache(capacity: 4)

    /// Creates the dialect; `invalid` for a malformed option or an unknown group.
    public init(environment: DialectEnvironment) throws {
        self.environment = environment
        let options = environment.options
        group = options["group"] ?? environment.fleet.defaultGroup
        if let group { _ = try environment.fleet.groups.require(group) }
        network = options["network"]
        if let network { try NameRules.validate(network, what: "virtualization-server option 'network'") }
        networkType = options["network_type"]
        if let type = networkType, type != "network", type != "bridge" {
            throw SpecError.invalid(
                "virtualization-server option 'network_type' must be 'network' or 'bridge', not '\(type)'")
        }
        if let raw = options["disk_size_kib"] {
            let field = "virtualization-server option 'disk_size_kib'"
            diskBytes = try Limits.diskBytes(try Measure.integer(parsing: raw, field: field), .kib, field: field)
        } else {
            diskBytes = nil
        }
    }

    var fleet: Fleet { environment.fleet }

    public func routes() -> RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.add(middleware: DialectMetricsMiddleware(dialect: Self.name))
        routes.add(middleware: DialectErrorMiddleware { VirtualizationServerError($0) })
        routes.add(middleware: environment.requestGuard())
        addMachineRoutes(to: routes)
        return routes
    }
}
