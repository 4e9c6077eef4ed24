import Foundation
import GatewayCore
import Spec
import Synchronization

/// Screenshots taken through libvirt, kept briefly so that a UI polling every VM does not
/// hit the hypervisor on every request. Each capture gets a new file name
/// (`<uuid>-<serial>.png`), which `GET /vms/:name/screenshot` redirects to.
final class KimchiScreenshots: Sendable {
    private struct Shot {
        var serial: Int
        var png: [UInt8]
        var takenAt: ContinuousClock.Instant
    }

    /// How long a capture is served before a new one is taken.
    let lifetime: Duration
    /// Most VMs whose latest capture is kept.
    let capacity: Int
    private let state = Mutex<(serial: Int, shots: [String: Shot])>((0, [:]))

    /// Creates a cache whose captures live `lifetime`.
    init(lifetime: Duration = .seconds(3), capacity: Int = 128) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The file name of a fresh capture of `machine`, taking one if the cached one is too old.
    func capture(_ machine: Machine, fleet: Fleet) async throws -> String {
        if let name = fresh(machine.uuid) { return name }
        let png = try await fleet.screenshotPNG(machine.id)
        return state.withLock { state in
            state.serial += 1
            if state.shots.count >= capacity, state.shots[machine.uuid] == nil,
                let oldest = state.shots.min(by: { $0.value.takenAt < $1.value.takenAt })?.key
            {
                state.shots.removeValue(forKey: oldest)
            }
            state.shots[machine.uuid] = Shot(serial: state.serial, png: png, takenAt: .now)
            return Self.fileName(machine.uuid, state.serial)
        }
    }

    /// The file name of the cached capture of machine `uuid`, if it is still fresh.
    func fresh(_ uuid: String) -> String? {
        state.withLock { state in
            guard let shot = state.shots[uuid], ContinuousClock.now - shot.takenAt < lifetime else { return nil }
            return Self.fileName(uuid, shot.serial)
        }
    }

    /// The PNG named `file`, while it is the latest capture of its machine.
    func image(_ file: String) -> [UInt8]? {
        guard file.hasSuffix(".png"), let dash = file.lastIndex(of: "-") else { return nil }
        let uuid = String(file[..<dash])
        guard let serial = Int(file[file.index(after: dash)...].dropLast(4)) else { return nil }
        return state.withLock { state in
            guard let shot = state.shots[uuid], shot.serial == serial else { return nil }
            return shot.png
        }
    }

    /// Drops the capture of a machine (deleted or stopped).
    func forget(_ uuid: String) {
        _ = state.withLock { $0.shots.removeValue(forKey: uuid) }
    }

    private static func fileName(_ uuid: String, _ serial: Int) -> String { "\(uuid)-\(serial).png" }
}
