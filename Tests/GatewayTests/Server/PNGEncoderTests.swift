import GatewayCore
import Testing

@Suite("PNG encoding of PPM screenshots")
struct PNGEncoderTests {
    @Test("a PPM becomes a PNG with the right size and chunk checksums")
    func convert() throws {
        let width = 300
        let height = 250
        var ppm = Array("P6\n# comment\n\(width) \(height)\n255\n".utf8)
        ppm += (0..<(width * height * 3)).map { UInt8($0 % 251) }
        let png = try PNGEncoder.png(fromPPM: ppm)
        #expect(Array(png.prefix(8)) == PNGEncoder.signature)
        #expect(Array(png[12..<16]) == Array("IHDR".utf8))
        let w = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let h = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(w == width && h == height)
        #expect(Array(png.suffix(8).prefix(4)) == Array("IEND".utf8))
        // stored deflate: payload is at least the raw filtered rows
        #expect(png.count > (width * 3 + 1) * height)
    }

    @Test(
        "anything else is rejected", arguments: [Array("P3\n1 1\n255\n0 0 0".utf8), Array("P6\n2 2\n255\n".utf8), []])
    func reject(bytes: [UInt8]) {
        #expect(throws: (any Error).self) { try PNGEncoder.png(fromPPM: bytes) }
    }
}
