import DialectKit
import GatewayCore
public import Hummingbird
public import HummingbirdWebSocket
import NIOCore
import Spec

extension CometDialect {
    /// Adds the WebSocket routes (the serial-console bridge) under the dialect's prefix to the
    /// router that the server consults for WebSocket upgrades.
    public func addWebSocketRoutes(to router: Router<BasicWebSocketRequestContext>) {
        router.ws(
            RouterPath(environment.prefix + Self.serialConsolePath),
            shouldUpgrade: { request, context in
                do {
                    _ = try await consoleMachine(context.parameters)
                    return .upgrade([:])
                } catch let error as CometError { throw error } catch {
                    let converted = CometError(error)
                    context.logger.failure(
                        converted.error, "console upgrade refused",
                        metadata: ["http.path": "\(request.uri.path)", "http.status": "\(converted.status.code)"])
                    throw converted
                }
            },
            onUpgrade: { inbound, outbound, context in
                let machine = try await consoleMachine(context.requestContext.parameters)
                let console = try await fleet.openConsole(machine.id)
                do {
                    try await bridge(console, inbound: inbound, outbound: outbound)
                } catch {
                    await console.close()
                    throw error
                }
                await console.close()
            })
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
