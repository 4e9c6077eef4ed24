import Foundation
import Spec

/// A VM released from its host by the `stop` action: its disks stay in storage and its
/// definition is kept here, so `start` can define it again.
struct CometReleasedRecord: Codable, Sendable {
    var cluster: String
    var backend: String
    var name: String
    var uuid: String
    var vcpus: Int
    var memoryKiB: Int
    var disks: [MachineDisk]
    var definition: String
    var releasedAt: Date

    var key: String { MachineRef(backend: backend, name: name).id }
}

/// Released VMs in the gateway store, namespace `comet.released`, keyed `backend:name`.
struct CometReleasedStore: Sendable {
    static let namespace = "comet.released"
    let store: any GatewayStore

    func all() async throws -> [CometReleasedRecord] {
        let decoder = JSONDecoder()
        return try await store.values(namespace: Self.namespace).values
            .map { try decoder.decode(CometReleasedRecord.self, from: $0) }
            .sorted { $0.name < $1.name }
    }

    func records(cluster: String) async throws -> [CometReleasedRecord] {
        try await all().filter { $0.cluster == cluster }
    }

    func save(_ record: CometReleasedRecord) async throws {
        try await store.setValue(try JSONEncoder().encode(record), namespace: Self.namespace, key: record.key)
    }

    func remove(_ record: CometReleasedRecord) async throws {
        try await store.setValue(nil, namespace: Self.namespace, key: record.key)
    }
}
