import CompressNIO
import GatewayCore
import NIOCore
import PropertyBased
import Spec
import Testing

@Suite("PNG encoding of PPM screenshots")
struct PNGEncoderTests {
    /// What a PNG decoder sees: the header fields and the inflated, unfiltered pixel rows.
    struct Decoded: Equatable {
        var width: Int
        var height: Int
        var pixels: [UInt8]
    }

    /// A minimal PNG reader for 8-bit RGB without interlacing: checks the signature and every
    /// chunk's CRC (bitwise, independent of the encoder's table), inflates the IDAT chunks
    /// with zlib and undoes the per-row filter (only filter 0 is expected).
    static func decode(_ png: [UInt8]) throws -> Decoded {
        struct Malformed: Error { var reason: String }
        func be32(_ bytes: ArraySlice<UInt8>) -> Int { bytes.reduce(0) { $0 << 8 | Int($1) } }
        func crc(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return ~crc
        }
        guard Array(png.prefix(8)) == PNGEncoder.signature else { throw Malformed(reason: "signature") }
        var offset = 8
        var header: ArraySlice<UInt8> = []
        var idat: [UInt8] = []
        var ended = false
        while offset + 12 <= png.count, !ended {
            let length = be32(png[offset..<offset + 4])
            let typed = png[(offset + 4)..<(offset + 8 + length)]
            guard UInt32(be32(png[(offset + 8 + length)..<(offset + 12 + length)])) == crc(typed) else {
                throw Malformed(reason: "CRC")
            }
            let data = typed.dropFirst(4)
            switch String(decoding: typed.prefix(4), as: UTF8.self) {
            case "IHDR": header = data
            case "IDAT": idat += data
            case "IEND": ended = true
            default: break
            }
            offset += 12 + length
        }
        guard ended, offset == png.count, header.count == 13 else { throw Malformed(reason: "chunks") }
        let (width, height) = (be32(header.prefix(4)), be32(header.dropFirst(4).prefix(4)))
        guard Array(header.suffix(5)) == [8, 2, 0, 0, 0] else { throw Malformed(reason: "not 8-bit RGB") }
        var compressed = ByteBuffer(bytes: idat)
        var inflated = try compressed.decompress(with: .zlib())
        let raw = inflated.readBytes(length: inflated.readableBytes) ?? []
        let stride = width * 3 + 1
        guard raw.count == stride * height else { throw Malformed(reason: "row data size") }
        var pixels: [UInt8] = []
        for row in 0..<height {
            guard raw[row * stride] == 0 else { throw Malformed(reason: "filter") }
            pixels += raw[(row * stride + 1)..<((row + 1) * stride)]
        }
        return Decoded(width: width, height: height, pixels: pixels)
    }

    static func ppm(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        Array("P6\n# comment\n\(width) \(height)\n255\n".utf8) + pixels
    }

    @Test("a PPM becomes a PNG that decodes back to the same pixels")
    func convert() throws {
        let (width, height) = (300, 250)
        let pixels = (0..<(width * height * 3)).map { UInt8($0 % 251) }
        let png = try PNGEncoder.png(fromPPM: Self.ppm(width: width, height: height, pixels: pixels))
        #expect(try Self.decode(png) == Decoded(width: width, height: height, pixels: pixels))
    }

    @Test("any image round-trips: random sizes and pixels, including incompressible noise")
    func roundTrip() async {
        let sizes = Gen.int(in: 1...48)
        let seeds = Gen<UInt64>.value()
        await propertyCheck(count: 60, input: sizes, sizes, seeds) { width, height, seed in
            var generator = SplitMix(state: seed)
            let flat = seed % 2 == 0
            let pixels = (0..<(width * height * 3)).map { index in
                flat ? UInt8(truncatingIfNeeded: index / 97) : UInt8(truncatingIfNeeded: generator.next())
            }
            let png = try PNGEncoder.png(fromPPM: Self.ppm(width: width, height: height, pixels: pixels))
            #expect(try Self.decode(png) == Decoded(width: width, height: height, pixels: pixels))
        }
    }

    @Test("a typical 1024x768 screen is kilobytes, not the 2.3 MB of stored rows")
    func compressed() throws {
        let (width, height) = (1024, 768)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                // A desktop: flat background, a window with a title bar and lines of "text".
                var colour: (UInt8, UInt8, UInt8) = (32, 64, 112)
                if (100..<600).contains(x), (80..<560).contains(y) {
                    colour = y < 110 ? (200, 200, 210) : (250, 250, 250)
                    if y >= 130, y % 18 < 10, (x * 7 + y * 3) % 11 < 6, x < 120 + (y * 37) % 440 {
                        colour = (20, 20, 20)
                    }
                }
                let index = (y * width + x) * 3
                (pixels[index], pixels[index + 1], pixels[index + 2]) = colour
            }
        }
        let png = try PNGEncoder.png(fromPPM: Self.ppm(width: width, height: height, pixels: pixels))
        let stored = (width * 3 + 1) * height
        #expect(png.count < stored / 50, "\(png.count) bytes")
        #expect(try Self.decode(png).pixels == pixels)
    }

    @Test(
        "anything but an 8-bit binary PPM is a backend answer vmgate cannot read, not a client mistake",
        arguments: [
            Array("P3\n1 1\n255\n0 0 0".utf8), Array("P6\n2 2\n255\n".utf8), Array("P6\n1 1\n65535\n".utf8), [],
        ])
    func reject(bytes: [UInt8]) {
        #expect { try PNGEncoder.png(fromPPM: bytes) } throws: { ($0 as? SpecError)?.kind == .unavailable }
    }

    /// A tiny seeded generator for pixel noise.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
