internal import CLibvirt
import Spec

/// Owns one `virStreamPtr`; aborts it unless it was finished. Used inside one thread-pool closure.
final class StreamHandle {
    let pointer: OpaquePointer
    private var finished = false

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        if !finished {
            _ = virStreamAbort(pointer)
            virResetLastError()
        }
        virStreamFree(pointer)
    }

    /// Finishes a stream that was written to. `failure` captures the libvirt error.
    func finish(failure: () -> SpecError) throws(SpecError) {
        guard virStreamFinish(pointer) == 0 else { throw failure() }
        finished = true
    }

    /// Receives until end of stream, then finishes it. `failure` captures the libvirt error.
    func readAll(failure: () -> SpecError) throws(SpecError) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [CChar](repeating: 0, count: 256 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBufferPointer { virStreamRecv(pointer, $0.baseAddress, $0.count) }
            if count == 0 { break }
            guard count > 0 else { throw failure() }
            data.append(contentsOf: buffer[0..<Int(count)].map { UInt8(bitPattern: $0) })
        }
        guard virStreamFinish(pointer) == 0 else { throw failure() }
        finished = true
        return data
    }
}
