import Testing
@testable import Formats

@Suite("Block-scaled formats (OCP MX, NVFP4, group-wise INT)")
struct BlockFormatTests {
    @Test("MXFP4: the shared scale is 2^(⌊log2 amax⌋ − 2) and elements saturate")
    func mxfp4HandChecked() {
        let mx = block("mxfp4")
        // amax = 5: ⌊log2 5⌋ = 2, emax(E2M1) = 2 → X = 2^0 (E8M0 code 127).
        var values = [Double](repeating: 0.25, count: 32)
        values[0] = 5; values[1] = -3; values[2] = 0.75; values[3] = 1.25
        let e = mx.encode(values)
        #expect(e.scaleCodes == [0x7F])
        #expect(e.elementCodes[0] == 0x6)    // 5 is a tie of 4 and 6 → 4 (even)
        #expect(e.elementCodes[1] == 0xD)    // -3
        #expect(e.elementCodes[2] == 0x2)    // 0.75 is a tie of 0.5 and 1 → 1 (even)
        #expect(e.elementCodes[3] == 0x2)    // 1.25 is a tie of 1 and 1.5 → 1
        #expect(e.elementCodes[4] == 0x0)    // 0.25 is a tie of 0 and 0.5 → 0
        // amax = 100: ⌊log2 100⌋ = 6 → X = 16; 100/16 = 6.25 saturates to 6 → 96.
        var big = [Double](repeating: 1, count: 32)
        big[7] = 100
        let q = mx.quantize(big)
        #expect(q[7] == 96)
        #expect(q[0] == 0)                   // 1/16 rounds to 0 in E2M1
        #expect(mx.encode(big).scaleCodes == [127 + 4])
    }

    @Test("an all-zero block gets the smallest scale and zero elements")
    func allZero() {
        for name in ["mxfp4", "mxfp8_e4m3", "mxint8", "nvfp4", "int4_g128"] {
            let b = block(name)
            let e = b.encode([Double](repeating: 0, count: b.blockSize))
            #expect(b.decode(e).allSatisfy { $0 == 0 }, "\(name)")
            #expect(e.elementCodes.allSatisfy { b.element.decode($0) == 0 }, "\(name)")
        }
        #expect(block("mxfp4").encode([Double](repeating: 0, count: 32)).scaleCodes == [0])
    }

    @Test("a block containing NaN or infinity has a NaN scale, and only that block")
    func nanBlock() {
        let mx = block("mxfp8_e4m3")
        var values = (0..<64).map { Double($0) / 8 }
        values[40] = .nan
        let e = mx.encode(values)
        #expect(e.scaleCodes[1] == 0xFF)
        #expect(mx.decode(e)[32..<64].allSatisfy { $0.isNaN })
        #expect(!mx.decode(e)[0..<32].contains { $0.isNaN })
        var inf = [Double](repeating: 1, count: 32)
        inf[3] = -.infinity
        #expect(mx.encode(inf).scaleCodes == [0xFF])
        let nv = block("nvfp4")
        var nvValues = [Double](repeating: 1, count: 16)
        nvValues[0] = .nan
        #expect(nv.decode(nv.encode(nvValues)).allSatisfy { $0.isNaN })
    }

    @Test("MXINT8 elements are 1.6 fixed point under a power-of-two scale")
    func mxint8() {
        let mx = block("mxint8")
        // amax = 1.5 → ⌊log2⌋ = 0, emax = 0 → X = 1; 1.5 = 96/64 exactly.
        var values = [Double](repeating: 0, count: 32)
        values[0] = 1.5; values[1] = -0.01
        let e = mx.encode(values)
        #expect(e.scaleCodes == [0x7F])
        #expect(mx.decode(e)[0] == 1.5)
        #expect(mx.decode(e)[1] == -1.0 / 64)
    }

    @Test("NVFP4: E4M3 block scales under an FP32 tensor scale")
    func nvfp4() {
        let nv = block("nvfp4")
        let values: [Double] = [12, 3, -6, 1, 0.5, 0, 2, -12, 9, 4, 1.5, 0.25, 7, -2, 5, 11]
        let e = nv.encode(values)
        // Tensor scale = Float(12 / (6 · 448)); block scale = 12 / (6 · ts) ≈ 448 → E4M3 0x7E.
        #expect(e.tensorScale == Double(Float(12.0 / 2688)))
        #expect(e.scaleCodes == [0x7E])
        let q = nv.decode(e)
        let unit = 448 * e.tensorScale   // ≈ 2
        #expect(q[0] == 6 * unit)
        #expect(q[1] == 1.5 * unit)
        #expect(q[2] == -3 * unit)
        #expect(abs(q[8] - 9) <= unit / 2 + 1e-12)
    }

    @Test("group-wise INT4 with FP16 absmax scales")
    func int4Groups() {
        let g = block("int4_g128")
        let values = (0..<256).map { Double($0 % 128) - 64 }   // amax 64 in each group
        let e = g.encode(values)
        #expect(e.scaleCodes.count == 2)
        let scale = scalar("fp16").decode(e.scaleCodes[0])
        #expect(scale == scalar("fp16").quantize(64.0 / 7))
        let q = g.decode(e)
        #expect(q[0] == -7 * scale)
        #expect(q.allSatisfy { abs($0) <= 7 * scale })
    }

    @Test("a partial last block is its own block")
    func partialBlock() {
        let mx = block("mxfp4")
        let e = mx.encode((0..<40).map { Double($0) })
        #expect(e.scaleCodes.count == 2)
        #expect(e.elementCodes.count == 40)
    }
}

@Suite("Dyadic requantization scales")
struct DyadicScaleTests {
    @Test("the nearest b/2^c with a 32-bit b")
    func approximation() throws {
        let d = try DyadicScale(approximating: 0.0123, multiplierBits: 32)
        #expect(d.multiplier < 1 << 31 && d.multiplier >= 1 << 30)
        #expect(abs(d.value - 0.0123) / 0.0123 < 0x1p-30)
    }

    @Test("applying it rounds exactly")
    func apply() throws {
        let half = try DyadicScale(multiplier: 1, shift: 1)
        #expect(half.apply(to: 5) == 2)                       // 2.5 → 2
        #expect(half.apply(to: 7) == 4)                       // 3.5 → 4
        #expect(half.apply(to: -5) == -2)
        #expect(half.apply(to: -5, rounding: .nearestAway) == -3)
        #expect(half.apply(to: 5, rounding: .down) == 2)
        let d = try DyadicScale(approximating: 0.3)
        #expect(d.apply(to: 1000) == 300)
        #expect(d.apply(to: 1 << 40) == Int64((Double(1 << 40) * d.value).rounded(.toNearestOrEven)))
        #expect(d.apply(to: 3 << 40) == Int64((Double(3 << 40) * d.value).rounded(.toNearestOrEven)))
    }
}
