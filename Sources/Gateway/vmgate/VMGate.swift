import ArgumentParser
import Gateway
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `vmgate`: the command line. Parses arguments, installs logging and metrics once, and
/// hands over to `Gateway.build`.
@main
struct VMGate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmgate",
        abstract: "One REST gateway for many hypervisor hosts, speaking five VM-management dialects.",
        version: GatewayVersion.current,
        subcommands: [Serve.self, CheckConfig.self, UserCommand.self],
        defaultSubcommand: Serve.self)
}

struct Options: ParsableArguments {
    @Option(name: .shortAndLong, help: "YAML configuration file; the embedded default when omitted.")
    var config: String?

    @Option(help: "Override listen.host.")
    var host: String?

    @Option(help: "Override listen.port.")
    var port: Int?

    func load() throws -> GatewayConfiguration {
        var loaded = try ConfigurationLoader.load(path: config)
        if let host { loaded.listen.host = host }
        if let port { loaded.listen.port = port }
        return loaded
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway.")

    @OptionGroup var options: Options

    func run() async throws {
        let config: GatewayConfiguration
        do { config = try options.load() } catch let failure as ConfigurationLoader.Failure {
            throw ValidationError(failure.description)
        }
        let level = config.logLevel.flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "vmgate")
        let gateway: Gateway
        do { gateway = try await Gateway.build(configuration: config, logger: logger, prometheus: registry) } catch let
            failure as ConfigurationLoader.Failure
        {
            throw ValidationError(failure.description)
        }
        let services: [any Service] = [gateway.application] + gateway.dialectListeners
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate a configuration file and print what it resolves to.")

    @OptionGroup var options: Options

    func run() async throws {
        do {
            let config = try options.load()
            var quiet = Logger(label: "vmgate.check-config")
            quiet.logLevel = .critical
            try await Gateway.checkDialects(config, logger: quiet)
            print(
                "configuration OK: \(config.backends.count) backend(s), \(config.groups.count) group(s), "
                    + "\(config.templates.count) template(s), dialects: \(config.dialects.map(\.name).joined(separator: ", "))"
            )
        } catch let failure as ConfigurationLoader.Failure {
            throw ValidationError(failure.description)
        }
    }
}
