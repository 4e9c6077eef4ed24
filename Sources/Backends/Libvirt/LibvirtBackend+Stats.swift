internal import CLibvirt
import Foundation
public import Spec

extension LibvirtBackend {
    /// CPU time plus summed network and disk byte counters; zeros for machines that are not active.
    public func stats(ofMachine name: String) async throws -> MachineStats {
        try require(.stats, "statistics")
        return try await run { connection in
            let domain = try DomainHandle.lookup(name, in: connection)
            var info = virDomainInfo()
            try domain.check("read statistics of") { virDomainGetInfo($0, &info) }
            let state = MachineStateCode(raw: Int32(info.state))
            guard state.isActive else {
                return MachineStats(
                    sampledAt: Date(), cpuTimeNanoseconds: 0, vcpus: Int(info.nrVirtCpu), netBytes: 0, diskBytes: 0)
            }
            let xml = try DomainXML(domain.xml())
            var net: UInt64 = 0
            for device in xml.nicDevices {
                var counters = virDomainInterfaceStatsStruct()
                if virDomainInterfaceStats(domain.pointer, device, &counters, MemoryLayout.size(ofValue: counters)) == 0
                {
                    net &+= UInt64(max(0, counters.rx_bytes)) &+ UInt64(max(0, counters.tx_bytes))
                } else {
                    LibvirtError.discard()
                }
            }
            var disk: UInt64 = 0
            for target in xml.disks.map(\.target) {
                var counters = virDomainBlockStatsStruct()
                if virDomainBlockStats(domain.pointer, target, &counters, MemoryLayout.size(ofValue: counters)) == 0 {
                    disk &+= UInt64(max(0, counters.rd_bytes)) &+ UInt64(max(0, counters.wr_bytes))
                } else {
                    LibvirtError.discard()
                }
            }
            return MachineStats(
                sampledAt: Date(), cpuTimeNanoseconds: UInt64(info.cpuTime), vcpus: Int(info.nrVirtCpu), netBytes: net,
                diskBytes: disk)
        }
    }

    /// The primary display as the hypervisor encodes it (PPM for QEMU, PNG for the Test driver).
    public func screenshot(ofMachine name: String) async throws -> Screenshot {
        try require(.screenshots, "screenshots")
        return try await run { connection in
            let domain = try DomainHandle.lookup(name, in: connection)
            let state = try domain.state().state
            guard state == .running else {
                throw SpecError.conflict("machine '\(name)' is \(state.rawValue); screenshots need a running machine")
            }
            guard let streamPointer = virStreamNew(connection.pointer, 0) else {
                throw LibvirtError.capture("open a stream for", "machine '\(name)'", connection: connection)
            }
            let stream = StreamHandle(streamPointer)
            guard let mime = takeString(virDomainScreenshot(domain.pointer, stream.pointer, 0, 0)) else {
                throw LibvirtError.capture("take a screenshot of", "machine '\(name)'", connection: connection)
            }
            let data = try stream.readAll {
                LibvirtError.capture("read the screenshot of", "machine '\(name)'", connection: connection)
            }
            return Screenshot(mimeType: mime, data: data)
        }
    }

    /// Host capacity: CPUs, memory and free storage over active pools.
    public func hostInfo() async throws -> HostInfo {
        try await run { connection in
            var info = virNodeInfo()
            guard virNodeGetInfo(connection.pointer, &info) == 0 else {
                throw LibvirtError.capture("read", "host information", connection: connection)
            }
            let free = virNodeGetFreeMemory(connection.pointer)
            if free == 0 { LibvirtError.discard() }
            let hostname = takeString(virConnectGetHostname(connection.pointer)) ?? "unknown"
            LibvirtError.discard()
            let pools = try StorageReader.pools(connection, backend: "")
            let storage = pools.filter(\.active).reduce(0) { $0 + $1.availableBytes }
            return HostInfo(
                hostname: hostname, hypervisor: connection.driverType(), cpus: Int(info.cpus),
                memoryKiB: Int(info.memory), freeMemoryKiB: Int(free / 1024), freeStorageBytes: storage)
        }
    }
}
