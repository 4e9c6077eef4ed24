public import DialectKit
import Foundation
import GatewayCore
public import Hummingbird
import Spec

/// The Kimchi REST API (virtual machines, templates, storage pools and volumes, tasks,
/// configuration), mounted at `/kimchi` by default.
///
/// Options: `group` (group of new VMs; default the gateway's default group),
/// `taskAfterSeconds` (a VM creation still running after this long is answered with
/// `202` and a task; `0` always answers with a task; default 2), `screenshotSeconds`
/// (how long a screenshot is reused; default 3).
public struct KimchiDialect: Dialect {
    public static let name = "kimchi"
    public static let defaultPrefix = "/kimchi"
    let environment: DialectEnvironment
    let group: String?
    let taskAfter: Duration
    let sampler = KimchiStatsSampler()
    let screenshots: KimchiScreenshots
    let isos = ISOInspector()
    let listCache = ResponseCache(capacity: 4)

    /// Creates the dialect; `invalid` for a malformed option or an unknown group.
    public init(environment: DialectEnvironment) throws {
        self.environment = environment
        let options = environment.options
        group = options["group"] ?? environment.fleet.defaultGroup
        if let group { _ = try environment.fleet.groups.require(group) }
        taskAfter = .milliseconds(Int(try Self.seconds(options, "taskAfterSeconds", default: 2) * 1000))
        screenshots = KimchiScreenshots(
            lifetime: .milliseconds(Int(try Self.seconds(options, "screenshotSeconds", default: 3) * 1000)))
    }

    var fleet: Fleet { environment.fleet }

    public func routes() -> RouteCollection<GatewayContext> {
        let routes = RouteCollection(context: GatewayContext.self)
        routes.add(middleware: DialectMetricsMiddleware(dialect: Self.name))
        routes.add(middleware: DialectErrorMiddleware { KimchiError($0) })
        routes.add(middleware: environment.requestGuard(Self.guardRules))
        addVMRoutes(to: routes)
        addTemplateRoutes(to: routes)
        addPoolRoutes(to: routes)
        addVolumeRoutes(to: routes)
        addSystemRoutes(to: routes)
        addLoginRoutes(to: routes)
        return routes
    }

    private static func seconds(_ options: [String: String], _ key: String, default value: Double) throws -> Double {
        guard let raw = options[key] else { return value }
        guard let parsed = Double(raw), parsed >= 0, parsed <= 3600 else {
            throw SpecError.invalid(
                "kimchi option '\(key)' must be a number of seconds between 0 and 3600, not '\(raw)'")
        }
        return parsed
    }
}
