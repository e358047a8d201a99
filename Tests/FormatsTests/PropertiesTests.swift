import Testing
@testable import Formats

@Suite("Format properties")
struct PropertiesTests {
    /// OCP Microscaling Formats v1.0 Table 2 and the OCP FP8 specification.
    @Test("OCP table values: bias, max, min normal, min subnormal",
          arguments: [("fp8_e4m3", 7, 448.0, 0x1p-6, 0x1p-9),
                      ("fp8_e5m2", 15, 57344.0, 0x1p-14, 0x1p-16),
                      ("fp6_e2m3", 1, 7.5, 1.0, 0.125),
                      ("fp6_e3m2", 3, 28.0, 0.25, 0.0625),
                      ("fp4_e2m1", 1, 6.0, 1.0, 0.5)])
    func ocpTable(name: String, bias: Int, max: Double, minNormal: Double, minSubnormal: Double) {
        guard case .minifloat(let f) = scalar(name) else { Issue.record("not a minifloat"); return }
        #expect(f.bias == bias)
        #expect(f.maxFinite == max)
        #expect(f.minNormal == minNormal)
        #expect(f.minPositive == minSubnormal)
    }

    @Test("E8M0: bias 127, 2^-127…2^127, 0xFF is NaN")
    func e8m0() {
        let f = scalar("e8m0")
        #expect(f.bitWidth == 8)
        #expect(f.maxFinite == 0x1p127)
        #expect(f.minPositive == 0x1p-127)
        #expect(f.decode(0x7F) == 1)
        #expect(f.decode(0xFF).isNaN)
        #expect(!f.isSigned)
    }

    @Test("IEEE and ml_dtypes formats")
    func namedFloats() {
        #expect(scalar("fp16").maxFinite == 65504)
        #expect(scalar("bf16").maxFinite == 0x1.FEp127)
        #expect(scalar("fp32").maxFinite == Double(Float.greatestFiniteMagnitude))
        #expect(scalar("fp32").minPositive == Double(Float.leastNonzeroMagnitude))
        #expect(scalar("tf32").bitWidth == 19)
        #expect(scalar("float8_e4m3fnuz").maxFinite == 240)
        #expect(scalar("float8_e5m2fnuz").maxFinite == 57344)
        #expect(scalar("float8_e5m2fnuz").minPositive == 0x1p-17)
        #expect(scalar("e3m4").maxFinite == 15.5)
        #expect(scalar("fp8_e4m3").epsilon == 0.125)
        #expect(scalar("fp8_e5m2").hasInfinity && !scalar("fp8_e4m3").hasInfinity)
    }

    @Test("bits per element amortise the scale")
    func bitsPerElement() throws {
        #expect(try FormatCatalog.format(named: "mxfp4").bitsPerElement == 4.25)
        #expect(try FormatCatalog.format(named: "nvfp4").bitsPerElement == 4.5)
        #expect(try FormatCatalog.format(named: "mxfp8_e4m3").bitsPerElement == 8.25)
        #expect(try FormatCatalog.format(named: "int4_g128").bitsPerElement == 4.125)
        #expect(try FormatCatalog.format(named: "int3_g64").bitsPerElement == 3.25)
    }

    @Test("dynamic range in decibels")
    func dynamicRange() {
        // E4M3: 448 / 2^-9 = 229376 → 107.21 dB.
        #expect(abs(scalar("fp8_e4m3").dynamicRangeDecibels - 107.2119) < 1e-3)
        #expect(abs(scalar("int8").dynamicRangeDecibels - 42.0761) < 1e-3)
    }
}

@Suite("Integers, bipolar-INT and fixed point")
struct IntegerTests {
    @Test("two's complement, unsigned and symmetric ranges for every width 1…32")
    func ranges() throws {
        for bits in 1...32 {
            let s = try IntegerFormat(bits: bits, kind: .twosComplement)
            let u = try IntegerFormat(bits: bits, kind: .unsigned)
            #expect(s.decode(s.encode(-1e12)) == -Double(Int64(1) << (bits - 1)))
            #expect(s.decode(s.encode(1e12)) == Double((Int64(1) << (bits - 1)) - 1))
            #expect(u.decode(u.encode(1e12)) == Double((Int64(1) << bits) - 1))
            #expect(u.encode(-5) == 0)
            if bits >= 2 {
                let y = try IntegerFormat(bits: bits, kind: .symmetric)
                #expect(y.decode(y.encode(-1e12)) == -Double((Int64(1) << (bits - 1)) - 1))
            }
        }
    }

    @Test("integer rounding: ties to even, directed modes")
    func rounding() {
        let int8 = scalar("int8")
        #expect(int8.decode(int8.encode(2.5, .nearestEven)) == 2)
        #expect(int8.decode(int8.encode(3.5, .nearestEven)) == 4)
        #expect(int8.decode(int8.encode(-2.5, .nearestEven)) == -2)
        #expect(int8.decode(int8.encode(-2.5, .nearestAway)) == -3)
        #expect(int8.decode(int8.encode(-2.5, .towardZero)) == -2)
        #expect(int8.decode(int8.encode(-2.1, .down)) == -3)
        #expect(int8.decode(int8.encode(-2.9, .up)) == -2)
        #expect(int8.decode(int8.encode(-1e-30, .down)) == -1)
        #expect(int8.decode(int8.encode(-1e-30, .nearestEven)) == 0)
        #expect(int8.encode(-1) == 0xFF)
    }

    @Test("bipolar-INT: every bit weighs ±2^i, values are odd, no zero")
    func bipolar() throws {
        let b3 = try IntegerFormat(bits: 3, kind: .bipolar)
        // Code 0b101: +4 −2 +1 = 3.
        #expect(b3.decode(0b101) == 3)
        #expect(b3.decode(0b000) == -7)
        #expect(b3.decode(0b111) == 7)
        for code in UInt32(0)..<8 {
            var sum = 0.0
            for i in 0..<3 { sum += (code >> i) & 1 == 1 ? Double(1 << i) : -Double(1 << i) }
            #expect(b3.decode(code) == sum)
        }
        #expect(b3.decode(b3.encode(2)) == 1 || b3.decode(b3.encode(2)) == 3)  // tie
        #expect(b3.decode(b3.encode(1e-30)) == 1)
        #expect(b3.decode(b3.encode(-1e-30)) == -1)
        #expect(b3.decode(b3.encode(1e-30, rounding: .towardZero, overflow: .ieee, random: 0)) == 1)
        #expect(b3.decode(b3.encode(1e-30, rounding: .down, overflow: .ieee, random: 0)) == -1)
        #expect(b3.decode(b3.encode(0.0, rounding: .nearestAway, overflow: .ieee, random: 0)) == 1)
        let binary = scalar("binary")
        #expect(binary.decode(binary.encode(0.3)) == 1)
        #expect(binary.decode(binary.encode(-0.3)) == -1)
        let ternary = scalar("ternary")
        #expect(ternary.decode(ternary.encode(0.3)) == 0)
        #expect(ternary.decode(ternary.encode(-0.7)) == -1)
    }

    @Test("fixed<W,F> is a W-bit integer times 2^-F")
    func fixedPoint() throws {
        guard case .scalar(.integer(let q)) = try FormatCatalog.format(named: "fixed<16,8>") else {
            Issue.record("fixed<16,8> did not parse"); return
        }
        #expect(q.step == 1.0 / 256)
        #expect(q.maxFinite == 32767.0 / 256)
        #expect(q.decode(q.encode(1.00390625)) == 1.00390625)
        #expect(q.decode(q.encode(1.001953125)) == 1.0)   // tie to even
        #expect(q.decode(q.encode(-200)) == -128)
    }
}
