import GatewayCore
import Logging
import Spec

/// Start-up seeding: templates from configuration and the base volumes they need.
enum Bootstrap {
    static func seed(_ config: GatewayConfiguration, fleet: Fleet, logger: Logger) async throws {
        for settings in config.templates {
            let template = settings.template
            do { try Fleet.validate(template) } catch let error as SpecError {
                throw ConfigurationLoader.Failure(description: "templates: '\(settings.name)': \(error.message)")
            }
            if try await fleet.store.template(named: template.name) == nil {
                try await fleet.store.saveTemplate(template)
            }
        }
        for backend in config.backends {
            for seed in backend.seedVolumes ?? [] {
                await ensureVolume(seed, on: backend.name, fleet: fleet, logger: logger)
            }
        }
    }

    private static func ensureVolume(
        _ seed: GatewayConfiguration.SeedVolume, on backendName: String, fleet: Fleet, logger: Logger
    ) async {
        do {
            let backend = try fleet.backends.backend(backendName)
            if (try? await fleet.call(backend, "volume", { try await $0.volume(named: seed.name, inPool: seed.pool) }))
                != nil
            {
                return
            }
            let spec = VolumeSpec(
                name: seed.name, capacityBytes: try Limits.diskBytes(seed.capacityMiB, .mib, field: "capacityMiB"),
                format: seed.format)
            _ = try await fleet.call(backend, "createVolume") { try await $0.createVolume(spec, inPool: seed.pool) }
            logger.info(
                "seeded base volume",
                metadata: ["vmgate.backend": "\(backendName)", "volume": "\(seed.pool)/\(seed.name)"])
        } catch {
            logger.warning("could not seed volume \(seed.pool)/\(seed.name) on \(backendName): \(error)")
        }
    }
}
