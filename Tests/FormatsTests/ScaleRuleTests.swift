import Testing
@testable import Formats

@Suite("MX scale rules and the INT formats of arXiv 2510.25602")
struct ScaleRuleTests {
    @Test("the OCP floor rule clips amax/X above the element max; the round-up rule never clips")
    func floorAgainstCeil() throws {
        // amax = 1.99 > 127/64: floor gives X = 2^0 and 1.99 saturates to 127/64;
        // round-up gives X = 2^⌈log2(1.99 / (127/64))⌉ = 2 and 1.99/2 → 64/64.
        var values = [Double](repeating: 0.5, count: 32)
        values[3] = 1.99
        let floor = block("mxint8"), ceil = block("mxint8@ceil")
        #expect(floor.rule == .sharedExponent && ceil.rule == .sharedExponentRoundUp)
        #expect(floor.quantize(values)[3] == 127.0 / 64)
        #expect(ceil.quantize(values)[3] == 2.0)
        #expect(ceil.encode(values).scaleCodes == [128])   // E8M0 2^1
        // amax exactly at a power of two times the element max needs no rounding up.
        var exact = [Double](repeating: 0.1, count: 32)
        exact[0] = 6 * 4   // MXFP4: 24 / 6 = 4 = 2^2
        #expect(block("mxfp4@ceil").encode(exact).scaleCodes == [127 + 2])
        #expect(block("mxfp4@ceil").quantize(exact)[0] == 24)
    }

    @Test("the rule is part of the name, and only power-of-two scales take one")
    func naming() throws {
        #expect(block("mxfp8@ceil").name == "mxfp8_e4m3@ceil")
        #expect(block("mxint8@floor").name == "mxint8")
        #expect(try block("mxint8@ceil").withScaleRule(.sharedExponent).name == "mxint8")
        #expect(throws: FormatError.self) { try FormatCatalog.format(named: "nvfp4@ceil") }
        #expect(throws: FormatError.self) { try FormatCatalog.format(named: "mxint8@up") }
        #expect(throws: FormatError.self) { try FormatCatalog.format(named: "fp8_e4m3@ceil") }
    }

    @Test("MXINT6, MXINT4 and NVINT4 are symmetric ±(2^(b−1) − 1) under UE8M0 or E4M3 scales")
    func newFormats() {
        let mx6 = block("mxint6"), mx4 = block("mxint4"), nv4 = block("nvint4")
        #expect(mx6.element.maxFinite == 31.0 / 16 && mx6.element.decode(mx6.element.encode(-5)) == -31.0 / 16)
        #expect(mx4.element.maxFinite == 7.0 / 4 && mx4.element.decode(mx4.element.encode(-5)) == -7.0 / 4)
        #expect(nv4.element.maxFinite == 7 && nv4.element.decode(nv4.element.encode(-9)) == -7)
        #expect(mx6.blockSize == 32 && mx4.blockSize == 32 && nv4.blockSize == 16)
        #expect(mx4.bitsPerElement == 4.25 && nv4.bitsPerElement == 4.5)
        #expect(nv4.scale.name == "fp8_e4m3" && nv4.hasTensorScale)
        // NVINT4 hand check: amax 7, tensor scale 7/(7·448) rounded to FP32 →
        // block scale 448 in E4M3, so one step is 448 · ts ≈ 1; 3.4 → 3, −7 → −7.
        var v = [Double](repeating: 1, count: 16)
        v[0] = 3.4; v[1] = -7
        let q = nv4.quantize(v)
        #expect(abs(q[0] - 3) < 1e-6 && abs(q[1] + 7) < 1e-6 && abs(q[2] - 1) < 1e-6)
    }
}

@Suite("BlockFormat.quantizeFast")
struct FastQuantizeTests {
    @Test("bit for bit what encodeBlock and value give, for every block format with a fast path", arguments: [
        "mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e2m3", "mxfp6_e3m2", "mxfp4", "mxint8", "mxint6", "mxint4",
        "mxfp4@ceil", "mxint8@ceil", "mxfp8@ceil", "nvfp4", "nvint4", "int4_g128",
    ])
    func agrees(name: String) throws {
        let b = block(name)
        var rng = SplitMix64(seed: 5)
        // Normal data over many binades, exact ties, zeros, tiny and huge blocks.
        var values: [Double] = (0..<(b.blockSize * 400)).map { i in
            let u = Double(rng.next() >> 11) * 0x1p-53 - 0.5
            let scale = Double(sign: .plus, exponent: Int(rng.next() % 60) - 30, significand: 1)
            return i % 97 == 0 ? 0 : u * scale
        }
        for i in 0..<b.blockSize { values[i] = 0 }                     // an all-zero block
        for i in b.blockSize..<(2 * b.blockSize) { values[i] = 1e-300 } // below every scale
        values[2 * b.blockSize] = 1e300                                 // above E8M0's range
        let ts = b.tensorScale(for: values)
        var fast = [Double](repeating: 0, count: values.count)
        let used = values.withUnsafeBufferPointer { v in fast.withUnsafeMutableBufferPointer { b.quantizeFast(v, tensorScale: ts, into: $0) } }
        #expect(used)
        let slow = b.quantize(values)
        for i in values.indices where !(fast[i].isNaN && slow[i].isNaN) {
            guard fast[i] == slow[i] else {
                Issue.record("\(name)[\(i)]: x = \(values[i]): fast \(fast[i]), slow \(slow[i])")
                return
            }
        }
    }
}
