import Foundation
import GatewayCore
import Spec

/// The vmpooler dialect's options (`dialects: [{name: vmpooler, options: {...}}]`), all strings.
///
/// | option | meaning | default |
/// |---|---|---|
/// | `domain` | DNS domain of pooled VMs (FQDNs in `/api/v3`) | none |
/// | `pools` | comma-separated group names served as pools (besides groups with `options: {vmpooler: "true"}`) | none |
/// | `vmLifetime` | lifetime of a checked-out VM, hours | 24 |
/// | `vmLifetimeAuth` | lifetime when checked out with a valid token, hours | 72 |
/// | `maxLifetime` | largest lifetime `PUT /vm/<host>` accepts, hours | 336 |
/// | `readyTTL` | minutes a ready VM may wait before it is replaced (0: never) | 1440 |
/// | `loopInterval` | seconds between pool-manager passes | 5 |
/// | `bootTimeout` | seconds a VM may take to become ready before it is replaced | 600 |
/// | `readiness` | `running` (domain running) or `tcp:<port>` (port open on the VM's address) | running |
/// | `users` | `user:salt:sha256hex(salt+password)` entries, comma-separated; enables tokens | none |
/// | `taskLimit` | most pool clones in flight at once | 10 |
/// | `cloneLimit` | most pool clones in flight on one backend | half the backend host's CPUs, at least 1 |
/// | `onDemandTTL` | seconds an on-demand request may take before it fails | 300 |
/// | `maxOnDemand` | most VMs one on-demand request may ask for | 10 |
/// | `destroyedRetention` | seconds a destroyed VM stays visible to `GET /vm/<host>` | 3600 |
/// | `experimentalFeatures` | `"true"` serves the routes that change pools at run time (`/config/poolsize`, `/config/pooltemplate`, `/poolreset`), as vmpooler's `experimental_features`; otherwise they answer 405 | false |
public struct VMPoolerSettings: Sendable {
    public var domain: String?
    public var pools: [String]
    public var vmLifetime: Double
    public var vmLifetimeAuth: Double
    public var maxLifetime: Double
    public var readyTTLMinutes: Double
    public var loopInterval: Double
    public var bootTimeout: Double
    public var readiness: Readiness
    public var users: [String: StaticUserAuth.Entry]
    public var destroyedRetention: Double
    public var onDemandTTL: Double
    public var taskLimit: Int
    public var cloneLimit: Int?
    public var maxOnDemand: Int
    /// Whether the pool-changing routes are served (vmpooler's `experimental_features`).
    public var experimentalFeatures: Bool

    /// How the manager decides a booting VM is ready.
    public enum Readiness: Sendable, Equatable {
        /// The domain is running.
        case running
        /// A TCP port accepts connections on the VM's first address.
        case tcp(Int)
    }

    /// Parses options; a malformed value is a configuration error.
    public init(options: [String: String]) throws {
        func number(_ key: String, _ fallback: Double, min: Double = 0, max: Double) throws -> Double {
            guard let raw = options[key] else { return fallback }
            let field = "vmpooler option '\(key)'"
            return try Measure.bounded(try Measure.number(parsing: raw, field: field), min...max, field: field)
        }
        func count(_ key: String, _ fallback: Int) throws -> Int {
            guard let raw = options[key] else { return fallback }
            let field = "vmpooler option '\(key)'"
            return try Measure.integer(parsing: raw, field: field, in: 1...1000)
        }
        domain = options["domain"].flatMap { $0.isEmpty ? nil : $0 }
        pools = (options["pools"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let hours = Limits.lifetimeHours.upperBound
        let day = 86_400.0
        vmLifetime = try number("vmLifetime", 24, min: 0.0001, max: hours)
        vmLifetimeAuth = try number("vmLifetimeAuth", 72, min: 0.0001, max: hours)
        maxLifetime = try number("maxLifetime", 336, min: 0.0001, max: hours)
        readyTTLMinutes = try number("readyTTL", 1440, max: 365 * 1440)
        loopInterval = try number("loopInterval", 5, min: 0.01, max: 3600)
        bootTimeout = try number("bootTimeout", 600, min: 0.01, max: day)
        destroyedRetention = try number("destroyedRetention", 3600, max: 365 * day)
        onDemandTTL = try number("onDemandTTL", 300, min: 0.01, max: day)
        taskLimit = try count("taskLimit", 10)
        cloneLimit = options["cloneLimit"] == nil ? nil : try count("cloneLimit", 1)
        maxOnDemand = try count("maxOnDemand", 10)
        switch options["readiness"] ?? "running" {
        case "running": readiness = .running
        case let raw where raw.hasPrefix("tcp:"):
            guard let port = Int(raw.dropFirst(4)), (1...65535).contains(port) else {
                throw SpecError.invalid("vmpooler option 'readiness' has a bad port: '\(raw)'")
            }
            readiness = .tcp(port)
        case let raw:
            throw SpecError.invalid("vmpooler option 'readiness' must be 'running' or 'tcp:<port>', not '\(raw)'")
        }
        users = try StaticUserAuth.parse(options["users"] ?? "")
        switch options["experimentalFeatures"]?.lowercased() ?? "false" {
        case "true": experimentalFeatures = true
        case "false": experimentalFeatures = false
        case let raw:
            throw SpecError.invalid("vmpooler option 'experimentalFeatures' must be 'true' or 'false', not '\(raw)'")
        }
    }
}
