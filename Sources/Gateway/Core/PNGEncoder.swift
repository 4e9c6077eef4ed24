import CompressNIO
import NIOCore
import Spec

/// Turns the PPM images QEMU produces for screenshots into PNG, which is what the
/// dialects promise. The pixel rows are deflated by zlib (through CompressNIO): a screen of
/// mostly flat colour shrinks from megabytes to kilobytes.
public enum PNGEncoder {
    /// The eight bytes every PNG starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Converts a binary PPM (`P6`, 8-bit) to PNG; anything else is a backend answer vmgate
    /// cannot read (`unavailable`: the client asked for nothing wrong).
    public static func png(fromPPM ppm: [UInt8]) throws -> [UInt8] {
        let (width, height, offset) = try header(ppm)
        let rowBytes = width * 3
        guard ppm.count >= offset + rowBytes * height else {
            throw SpecError.unavailable("the backend returned a truncated screenshot")
        }
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * height)
        for row in 0..<height {
            raw.append(0)
            let start = offset + row * rowBytes
            raw.append(contentsOf: ppm[start..<(start + rowBytes)])
        }
        var ihdr: [UInt8] = []
        ihdr.appendBigEndian(UInt32(width))
        ihdr.appendBigEndian(UInt32(height))
        ihdr += [8, 2, 0, 0, 0]
        var png = signature
        png.appendChunk("IHDR", ihdr)
        png.appendChunk("IDAT", try deflate(raw))
        png.appendChunk("IEND", [])
        return png
    }

    static func header(_ data: [UInt8]) throws -> (Int, Int, Int) {
        var index = 0
        func token() -> String {
            while index < data.count {
                if data[index] == UInt8(ascii: "#") {
                    while index < data.count, data[index] != 0x0A { index += 1 }
                } else if [0x20, 0x09, 0x0A, 0x0D].contains(data[index]) {
                    index += 1
                } else {
                    break
                }
            }
            let start = index
            while index < data.count, ![0x20, 0x09, 0x0A, 0x0D].contains(data[index]) { index += 1 }
            return String(decoding: data[start..<index], as: UTF8.self)
        }
        guard token() == "P6", let width = Int(token()), let height = Int(token()), let maxValue = Int(token()),
            width > 0, height > 0, width <= 16384, height <= 16384, maxValue == 255
        else { throw SpecError.unavailable("the backend returned a screenshot that is not an 8-bit binary PPM image") }
        return (width, height, index + 1)
    }

    /// `data` as a zlib stream (RFC 1950), which is what a PNG's IDAT chunks carry.
    static func deflate(_ data: [UInt8]) throws -> [UInt8] {
        var input = ByteBuffer(bytes: data)
        do {
            var output = try input.compress(with: .zlib())
            return output.readBytes(length: output.readableBytes) ?? []
        } catch {
            throw SpecError.internal(cause: "zlib could not compress a screenshot: \(error)")
        }
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension [UInt8] {
    fileprivate mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [
            UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF),
        ])
    }

    fileprivate mutating func appendChunk(_ type: String, _ payload: [UInt8]) {
        appendBigEndian(UInt32(payload.count))
        let typed = Array(type.utf8) + payload
        append(contentsOf: typed)
        appendBigEndian(PNGEncoder.crc32(typed))
    }
}
