import DialectKit
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Spec

/// Where the consoles of a VM can be opened.
struct CometConsoleLinks: Encodable {
    /// WebSocket bridge to the serial console (binary frames both ways), or null.
    var serial: CometNullable<String>
    /// `vnc://host:port` when the host's VNC port is reachable, or null.
    var vnc: CometNullable<String>
}

extension CometDialect {
    /// Path of the WebSocket serial-console bridge, relative to the mount.
    static let serialConsolePath = "/cluster/:name/vms/:vm/console/serial"

    func addConsoleRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/cluster/:name/vms/:vm/console") { request, context in
            let (group, vm) = try clusterAndVM(context)
            let machine = try await liveMachine(vm, of: group)
            guard machine.state == .running || machine.state == .paused else {
                throw SpecError.conflict("VM '\(vm)' is \(machine.state.rawValue); start it to open its console")
            }
            let links = consoleLinks(machine, cluster: group.name, request: request)
            let wanted = request.uri.queryParameters["type"].map(String.init)
            let location: String?
            switch wanted {
            case nil: location = links.serial.value ?? links.vnc.value
            case "serial": location = links.serial.value
            case "vnc": location = links.vnc.value
            case let other?: throw SpecError.invalid("console type must be serial or vnc, not '\(other)'")
            }
            guard let location else {
                throw SpecError.unsupported(
                    "VM '\(vm)' has no \(wanted.map { "\($0) " } ?? "")console reachable through host '\(machine.backend)'"
                )
            }
            return try JSONWire.response(links, status: .temporaryRedirect, headers: [.location: location])
        }
        // A plain GET of the WebSocket path (no upgrade): why an attach would be refused, in Comet's
        // format (the upgrade channel itself can only answer a refused upgrade with an empty 400),
        // or 426 when it would be admitted.
        routes.get(RouterPath(Self.serialConsolePath)) { request, context -> Response in
            _ = try await admitConsole(request, context.parameters, as: context.identity)
            var error = CometError(
                status: HTTPResponse.Status(code: 426, reasonPhrase: "Upgrade Required"),
                SpecError.invalid("the serial console is a WebSocket: upgrade the request"),
                failures: [])
            error.failures = nil
            throw error
        }
    }

    /// The serial WebSocket link (when the backend offers consoles and the VM has one) and the
    /// VNC link (when the VNC port listens on an address reachable from here).
    func consoleLinks(_ machine: Machine, cluster: String, request: Request) -> CometConsoleLinks {
        let backend = try? fleet.backends.backend(machine.backend)
        var serial: String?
        if backend?.capabilities.contains(.serialConsole) == true, machine.hasSerialConsole {
            let path = vmLink(cluster, machine.name) + "/console/serial"
            serial = request.head.authority.map { "ws://\($0)\(path)" } ?? path
        }
        var vnc: String?
        if let graphics = machine.graphics.first(where: { $0.type == "vnc" }), let port = graphics.port, port > 0,
            let host = Self.graphicsHost(endpoint: backend?.endpoint ?? "", listen: graphics.listen)
        {
            vnc = "vnc://\(host):\(port)"
        }
        return CometConsoleLinks(serial: CometNullable(serial), vnc: CometNullable(vnc))
    }

    /// The address a VNC client uses: the backend host for remote URIs (unless VNC listens on
    /// loopback there), `localhost` for local ones; nil when it is not reachable.
    static func graphicsHost(endpoint: String, listen: String?) -> String? {
        let loopback = ["127.0.0.1", "::1", "localhost"]
        let remoteHost = URLComponents(string: endpoint)?.host.flatMap { $0.isEmpty ? nil : $0 }
        if let remoteHost, !loopback.contains(remoteHost) {
            if let listen, loopback.contains(listen) { return nil }
            return remoteHost
        }
        if let listen, !listen.isEmpty, listen != "0.0.0.0", listen != "::" {
            return listen.contains(":") ? "[\(listen)]" : listen
        }
        return "localhost"
    }
}
