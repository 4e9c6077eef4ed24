import Foundation
import Spec
import Store
import Testing

@Suite("Templates")
struct TemplateStoreTests {
    @Test("save, fetch, list sorted by name, replace, delete")
    func roundTrip() async throws {
        let store = try SQLiteStore.inMemory()
        #expect(try await store.templates().isEmpty)
        #expect(try await store.template(named: "web") == nil)

        let web = Template(
            name: "web", vcpus: 2, memoryKiB: 2_097_152,
            disks: [
                TemplateDisk(index: 0, sizeGiB: 20, pool: "default", volume: "debian-12.qcow2"),
                TemplateDisk(index: 1, sizeGiB: 1.5),
            ],
            cdrom: "install.iso", folder: ["prod", "web"], icon: "https://example.test/icon.png",
            osDistro: "debian", osVersion: "12", network: "lan", graphics: nil)
        let api = Template(name: "api")
        try await store.saveTemplate(web)
        try await store.saveTemplate(api)

        #expect(try await store.template(named: "web") == web)
        #expect(try await store.templates() == [api, web])

        var changed = web
        changed.vcpus = 8
        changed.folder = []
        try await store.saveTemplate(changed)
        #expect(try await store.template(named: "web") == changed)
        #expect(try await store.templates().count == 2)

        #expect(try await store.deleteTemplate(named: "web"))
        #expect(try await !store.deleteTemplate(named: "web"))
        #expect(try await store.template(named: "web") == nil)
        #expect(try await store.templates() == [api])
    }
}
