import Testing
@testable import Arithmetic
@testable import Formats

/// The float32 QSNR path (`signalNoise(float:tensorAmax:)`, the checkpoint
/// reader's) against the readable Double path on the same values.
@Suite("signalNoise on float32 chunks")
struct TensorQSNRFloat32Tests {
    @Test("the same signal and noise as the Double path to 1e-12 (only the order of the sums differs)", arguments: [
        "mxfp4", "mxfp4@ceil", "mxfp8_e4m3", "mxint8", "mxint8@ceil", "mxint4", "nvfp4", "nvint4", "int4_g128",
        "int8", "int4", "fp8_e4m3", "fp8_e5m2", "bf16", "int8_sym",
    ])
    func agrees(name: String) throws {
        let format = try FormatCatalog.format(named: name)
        var rng = SplitMix64(seed: 7)
        // Heavy-tailed data over many binades, some exact zeros and subnormal floats.
        let x: [Float] = (0..<(1 << 15)).map { i in
            let u = Double(rng.next() >> 11) * 0x1p-53 - 0.5
            let e = Int(rng.next() % 24) - 12
            if i % 101 == 0 { return 0 }
            if i % 103 == 0 { return Float(bitPattern: 0x0000_1234) }
            return Float(u * Double(sign: .plus, exponent: e, significand: 1))
        }
        let amax = x.reduce(0.0) { max($0, Double(abs($1))) }
        let fast = x.withUnsafeBufferPointer { format.signalNoise(float: $0, tensorAmax: amax) }
        let slow = format.signalNoise(x.map(Double.init), tensorAmax: amax)
        #expect(fast.count == slow.count && fast.nonFinite == slow.nonFinite)
        #expect(abs(fast.signal / slow.signal - 1) < 1e-12)
        #expect(abs(fast.noise / slow.noise - 1) < 1e-12, "\(name): \(fast.noise) vs \(slow.noise)")
    }

    @Test("a chunk with NaN or ±∞ falls back: non-finite values counted and left out")
    func nonFinite() throws {
        let format = try FormatCatalog.format(named: "mxfp4")
        var x = [Float](repeating: 0.5, count: 64)
        x[3] = .nan; x[40] = -.infinity; x[41] = 3
        let fast = x.withUnsafeBufferPointer { format.signalNoise(float: $0, tensorAmax: 3) }
        let slow = format.signalNoise(x.map(Double.init), tensorAmax: 3)
        #expect(fast == slow && fast.nonFinite == 2 && fast.count == 62)
    }
}
