import Foundation
import Testing

@testable import KimchiDialect

@Suite("Kimchi: ISO 9660 detection")
struct ISOInspectorTests {
    /// A minimal ISO image: 16 empty sectors, a primary volume descriptor with `label`, an
    /// optional El Torito boot record and a terminator.
    static func image(label: String, bootable: Bool) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16 * 2048)
        func descriptor(_ type: UInt8, _ fill: (inout [UInt8]) -> Void) -> [UInt8] {
            var sector = [UInt8](repeating: 0, count: 2048)
            sector[0] = type
            sector.replaceSubrange(1...5, with: Array("CD001".utf8))
            sector[6] = 1
            fill(&sector)
            return sector
        }
        bytes += descriptor(1) { sector in
            let padded = Array(label.utf8) + Array(repeating: UInt8(ascii: " "), count: 32 - label.utf8.count)
            sector.replaceSubrange(40..<72, with: padded)
        }
        if bootable {
            bytes += descriptor(0) { sector in
                sector.replaceSubrange(7..<30, with: Array("EL TORITO SPECIFICATION".utf8))
            }
        }
        bytes += descriptor(255) { _ in }
        return bytes
    }

    @Test(
        "reads distribution, version and the boot record from a real file",
        arguments: [
            ("Ubuntu-Server 22.04.3 LTS amd64", "ubuntu", "22.04.3"),
            ("Fedora-S-dvd-x86_64-39", "fedora", "39"),
            ("CentOS-7-x86_64-DVD", "centos", "7"),
            ("RHEL-9-2-0-BaseOS-x86_64", "rhel", "9.2"),
            ("Debian 12.2.0 amd64 n", "debian", "12.2.0"),
            ("alpine-virt 3.18.4 x86_64", "alpine", "3.18.4"),
            ("MY_DATA_DISC", "unknown", "unknown"),
        ])
    func detect(label: String, distro: String, version: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmgate-\(UUID().uuidString).iso").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.image(label: label, bootable: true))))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let info = ISOInspector().inspect(path: path)
        #expect(info.distro == distro)
        #expect(info.version == version)
        #expect(info.bootable)
        #expect(info.volumeID == label)
    }

    @Test("no boot record means not bootable; unreadable or non-ISO files are unknown")
    func notBootable() throws {
        let directory = FileManager.default.temporaryDirectory
        let plain = directory.appendingPathComponent("vmgate-\(UUID().uuidString).iso").path
        #expect(
            FileManager.default.createFile(
                atPath: plain, contents: Data(Self.image(label: "Fedora-39", bootable: false))))
        defer { try? FileManager.default.removeItem(atPath: plain) }
        let info = ISOInspector().inspect(path: plain)
        #expect(info.distro == "fedora")
        #expect(!info.bootable)

        let junk = directory.appendingPathComponent("vmgate-\(UUID().uuidString).iso").path
        #expect(FileManager.default.createFile(atPath: junk, contents: Data(repeating: 7, count: 40_000)))
        defer { try? FileManager.default.removeItem(atPath: junk) }
        #expect(ISOInspector().inspect(path: junk) == .unknown)
        #expect(ISOInspector().inspect(path: "/nonexistent/vmgate.iso") == .unknown)
    }
}
