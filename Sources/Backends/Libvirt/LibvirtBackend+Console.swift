internal import CLibvirt
public import Spec

extension LibvirtBackend {
    /// Opens the serial console of a running machine (`virDomainOpenConsole`, forcing away any
    /// other client that holds it).
    public func openConsole(ofMachine name: String) async throws -> any ConsoleStream {
        try require(.serialConsole, "serial consoles")
        let pool = lanes.interactive
        return try await run { connection -> LibvirtConsole in
            let domain = try DomainHandle.lookup(name, in: connection)
            let state = try domain.state()
            guard state.isActive else {
                throw SpecError.conflict("machine '\(name)' is \(state.state.rawValue); start it to open its console")
            }
            guard let stream = virStreamNew(connection.pointer, VIR_STREAM_NONBLOCK.rawValue) else {
                throw LibvirtError.capture("open a stream to", "machine '\(name)'", connection: connection)
            }
            if virDomainOpenConsole(domain.pointer, nil, stream, VIR_DOMAIN_CONSOLE_FORCE.rawValue) < 0 {
                let error = LibvirtError.capture("open the console of", "machine '\(name)'", connection: connection)
                virStreamFree(stream)
                throw error
            }
            return LibvirtConsole(stream: stream, connection: connection, pool: pool, machine: name)
        }
    }
}
