import DialectKit
import GatewayCore
import HTTPTypes
public import Hummingbird
public import HummingbirdWebSocket
import NIOCore
import Spec

extension CometDialect {
    /// Adds the WebSocket routes (the serial-console bridge) under the dialect's prefix to the
    /// router that the server consults for WebSocket upgrades.
    ///
    /// The upgrade is refused when an `Origin` header names neither the request's host nor an
    /// origin of the `allowedOrigins` option (403), or when the console is already attached and
    /// the query does not ask for `force=1` (409; forcing ends the other session). The upgrade
    /// channel answers every refused upgrade with an empty 400 and closes; the refusal (status and
    /// reason) is logged, and a plain GET of the same path answers it in Comet's format.
    public func addWebSocketRoutes(to router: Router<BasicWebSocketRequestContext>) {
        router.ws(
            RouterPath(environment.prefix + Self.serialConsolePath),
            shouldUpgrade: { request, context in
                do {
                    let principal = try await environment.requestGuard().admit(upgrade: request)
                    _ = try await AccessControl.$principal.withValue(principal) {
                        try await admitConsole(request, context.parameters, as: principal)
                    }
                    return .upgrade([:])
                } catch {
                    let converted = error as? CometError ?? CometError(error)
                    context.logger.failure(
                        converted.error, "console upgrade refused",
                        metadata: ["http.path": "\(request.uri.path)", "http.status": "\(converted.status.code)"])
                    throw converted
                }
            },
            onUpgrade: { inbound, outbound, context in
                let principal = try await environment.requestGuard().admit(upgrade: context.request)
                let machine = try await AccessControl.$principal.withValue(principal) {
                    try await consoleMachine(context.requestContext.parameters)
                }
                // Claimed again here: two attaches may both have passed the check before upgrading.
                let claim = try await consoles.claim(machine.id, force: Self.forces(context.request), by: principal)
                do {
                    let console = try await fleet.openConsole(machine.id)
                    if await consoles.attach(console, to: claim) {
                        do {
                            try await bridge(console, inbound: inbound, outbound: outbound)
                        } catch {
                            await console.close()
                            throw error
                        }
                        await console.close()
                    }
                } catch {
                    await consoles.release(claim)
                    throw error
                }
                await consoles.release(claim)
            })
    }

    /// Whether a console request asks to take the console over (`force=1`, `true` or `yes`).
    static func forces(_ request: Request) -> Bool {
        forces(query: request.uri.queryParameters["force"].map(String.init))
    }

    /// Whether the value of a `force` query parameter asks to force.
    static func forces(query value: String?) -> Bool {
        guard let value = value?.lowercased() else { return false }
        return value == "1" || value == "true" || value == "yes"
    }

    /// 403 in Comet's format when the request's `Origin` is neither its host nor allow-listed.
    private func checkOrigin(_ request: Request) throws {
        let origin = request.headers[.origin]
        let allowed =
            CometConsoleOrigin.allowList(environment.options["allowedOrigins"])
            + environment.access.allowedOrigins.sorted()
        guard CometConsoleOrigin.permits(origin: origin, host: request.head.authority, allowed: allowed) else {
            var error = CometError(
                status: .forbidden,
                SpecError.invalid("origin '\(origin ?? "")' may not open consoles of this gateway"), failures: [])
            error.failures = nil
            throw error
        }
    }

    /// The checks of a console attach, in order: `Origin` (403), the VM (404, 409 when not running,
    /// 501 without serial consoles), the console not in use unless forced (409). Run before the
    /// upgrade, and by the plain HTTP route of the same path, which answers them in Comet's format.
    func admitConsole(_ request: Request, _ parameters: Parameters, as principal: Principal?) async throws -> Machine {
        try checkOrigin(request)
        let machine = try await consoleMachine(parameters)
        let force = Self.forces(request)
        let inUse = force ? await consoles.inUse(machine.id) : await consoles.inUse(machine.id, grace: .seconds(1))
        let mayTakeOver = await consoles.mayTakeOver(machine.id, by: principal)
        guard CometConsoleSessions.allows(inUse: inUse, force: force, mayTakeOver: mayTakeOver)
        else {
            throw SpecError.conflict(
                mayTakeOver
                    ? "the console of VM '\(machine.name)' is in use by another session; attach with ?force=1 to take it over"
                    : "the console of VM '\(machine.name)' is in use by another user's session")
        }
        return machine
    }

    /// The running VM a console request names, checked before the upgrade.
    private func consoleMachine(_ parameters: Parameters) async throws -> Machine {
        let group = try cluster(try parameters.require("name"))
        let vm = try parameters.require("vm")
        let machine = try await liveMachine(vm, of: group)
        guard machine.state.isActive else {
            throw SpecError.conflict("VM '\(vm)' is \(machine.state.rawValue); start it to open its console")
        }
        try fleet.backends.backend(machine.backend).require(.serialConsole, "serial consoles")
        return machine
    }

    /// Relays console output as binary frames and every inbound frame (text or binary) as
    /// keystrokes, until either side ends.
    private func bridge(
        _ console: any ConsoleStream, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while let bytes = try await console.read() {
                    try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                }
            }
            group.addTask {
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    switch message {
                    case .text(let text): try await console.write(Array(text.utf8))
                    case .binary(let buffer): try await console.write(Array(buffer: buffer))
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
