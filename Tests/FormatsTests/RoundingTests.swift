import Testing
@testable import Formats

@Suite("Rounding modes, ties, boundaries and overflow")
struct RoundingTests {
    let e4m3 = scalar("fp8_e4m3")
    let e5m2 = scalar("fp8_e5m2")

    @Test("a tie between 1 and 1.125 in E4M3, and values either side of it")
    func tiesAtOne() {
        let tie = 1.0625
        let expected: [(RoundingMode, UInt32, UInt32)] = [   // (mode, +tie, −tie)
            (.nearestEven, 0x38, 0xB8), (.nearestAway, 0x39, 0xB9), (.towardZero, 0x38, 0xB8),
            (.up, 0x39, 0xB8), (.down, 0x38, 0xB9),
        ]
        for (mode, positive, negative) in expected {
            #expect(e4m3.encode(tie, mode) == positive, "\(mode) +tie")
            #expect(e4m3.encode(-tie, mode) == negative, "\(mode) -tie")
        }
        #expect(e4m3.encode(tie.nextUp, .nearestEven) == 0x39)
        #expect(e4m3.encode(tie.nextDown, .nearestEven) == 0x38)
        #expect(e4m3.encode(tie.nextDown, .nearestAway) == 0x38)
        #expect(e4m3.encode(tie.nextUp, .towardZero) == 0x38)
        // A tie whose lower neighbour is odd goes up under nearest-even.
        #expect(e4m3.encode(1.1875, .nearestEven) == 0x3A)
    }

    @Test("the subnormal/normal boundary of E4M3")
    func subnormalBoundary() {
        let largestSubnormal = 7.0 / 512, minNormal = 1.0 / 64
        #expect(e4m3.decode(0x07) == largestSubnormal)
        #expect(e4m3.decode(0x08) == minNormal)
        let tie = (largestSubnormal + minNormal) / 2
        #expect(e4m3.encode(tie, .nearestEven) == 0x08)       // lower (7) is odd
        #expect(e4m3.encode(tie.nextDown, .nearestEven) == 0x07)
        #expect(e4m3.encode(tie, .towardZero) == 0x07)
        #expect(e4m3.encode(tie, .down) == 0x07)
        #expect(e4m3.encode(tie, .up) == 0x08)
        // Half the smallest subnormal is a tie between 0 (even) and it.
        let half = 1.0 / 1024
        #expect(e4m3.encode(half, .nearestEven) == 0x00)
        #expect(e4m3.encode(half, .nearestAway) == 0x01)
        #expect(e4m3.encode(half.nextUp, .nearestEven) == 0x01)
        #expect(e4m3.encode(-half, .nearestEven) == 0x80)
    }

    @Test("tiny inputs: 1e-30 rounded up is the smallest subnormal, not zero")
    func tinyInputs() {
        for format in [e4m3, e5m2, scalar("fp16"), scalar("bf16"), scalar("fp4_e2m1"), scalar("fp32")] {
            let minSub = format.minPositive
            if minSub > 1e-30 { #expect(format.decode(format.encode(1e-30, .up)) == minSub, "\(format)") }
            #expect(format.decode(format.encode(1e-300, .up)) == minSub, "\(format)")
            #expect(format.decode(format.encode(-1e-300, .down)) == -minSub, "\(format)")
            #expect(format.encode(1e-300, .down) == 0, "\(format)")
            #expect(format.encode(1e-300, .nearestEven) == 0, "\(format)")
            #expect(format.encode(1e-300, .towardZero) == 0, "\(format)")
            let negativeZero = format.encode(-1e-300, .up)
            #expect(format.decode(negativeZero) == 0 && format.decode(negativeZero).sign == .minus, "\(format)")
        }
    }

    @Test("±max and beyond, under both overflow rules")
    func overflow() {
        // E4M3 (fn): 448 is max; 464 is the tie with the virtual 480, which is odd.
        #expect(e4m3.encode(448, .nearestEven) == 0x7E)
        #expect(e4m3.encode(464, .nearestEven) == 0x7E)
        #expect(e4m3.encode(464.0.nextUp, .nearestEven) == 0x7F)          // NaN: no inf
        #expect(e4m3.encode(464.0.nextUp, .nearestEven, .saturate) == 0x7E)
        #expect(e4m3.encode(1e6, .towardZero) == 0x7E)
        #expect(e4m3.encode(1e6, .down) == 0x7E)
        #expect(e4m3.encode(1e6, .up) == 0x7F)
        #expect(e4m3.encode(-1e6, .up) == 0xFE)
        #expect(e4m3.encode(-1e6, .down) == 0xFF)
        #expect(e4m3.encode(.infinity, .nearestEven) == 0x7F)
        #expect(e4m3.encode(-.infinity, .nearestEven, .saturate) == 0xFE)
        // E5M2 (ieee): the tie past 57344 goes to infinity (its lower neighbour is odd).
        #expect(e5m2.encode(57344, .nearestEven) == 0x7B)
        #expect(e5m2.encode(61440, .nearestEven) == 0x7C)
        #expect(e5m2.encode(61440.0.nextDown, .nearestEven) == 0x7B)
        #expect(e5m2.encode(61440, .nearestEven, .saturate) == 0x7B)
        #expect(e5m2.encode(1e9, .towardZero) == 0x7B)
        #expect(e5m2.encode(-1e9, .nearestEven) == 0xFC)
        #expect(e5m2.encode(-1e9, .up) == 0xFB)
        // FP4 has neither inf nor NaN: both rules saturate.
        let fp4 = scalar("fp4_e2m1")
        #expect(fp4.encode(100, .nearestEven) == 0x7)
        #expect(fp4.encode(-.infinity, .nearestEven) == 0xF)
        #expect(fp4.encode(.nan, .nearestEven) == 0x0)
        // Integers saturate too.
        #expect(scalar("int8").encode(1000, .nearestEven) == 0x7F)
        #expect(scalar("int8").encode(-1000, .up) == 0x80)
        #expect(scalar("int8_sym").encode(-1000, .nearestEven) == 0x81)
    }

    @Test("NaN and signed zeros by convention")
    func specials() {
        #expect(e4m3.encode(.nan) == 0x7F)
        #expect(e4m3.encode(-.nan) == 0xFF)
        #expect(e5m2.encode(.nan) == 0x7E)
        #expect(scalar("bf16").encode(.nan) == 0x7FC0)
        #expect(scalar("fp16").encode(-.nan) == 0xFE00)
        #expect(scalar("float8_e4m3fnuz").encode(.nan) == 0x80)
        #expect(scalar("float8_e4m3fnuz").encode(-0.0) == 0x00)
        #expect(scalar("float8_e4m3fnuz").decode(0x80).isNaN)
        #expect(e4m3.encode(-0.0) == 0x80)
        let e8m0 = scalar("e8m0")
        #expect(e8m0.encode(0) == 0xFF)
        #expect(e8m0.encode(-1) == 0xFF)
        #expect(e8m0.encode(1.5) == 0x80)     // no mantissa bit: ties away, as ml_dtypes
        #expect(e8m0.encode(1e-45) == 0x00)   // nothing below 2^-127
        #expect(e8m0.decode(0x00) == 0x1p-127)
    }

    @Test("stochastic rounding is reproducible and unbiased")
    func stochastic() {
        var rng = SplitMix64(seed: 7)
        let x = 1.0 + 1.0 / 64   // one eighth of the way from 1 to 1.125
        var ups = 0
        let n = 100_000
        var first: [UInt32] = []
        for i in 0..<n {
            let code = e4m3.encode(x, rounding: .stochastic, overflow: .ieee, random: rng.next())
            if code == 0x39 { ups += 1 } else { #expect(code == 0x38) }
            if i < 100 { first.append(code) }
        }
        let p = Double(ups) / Double(n)
        #expect(abs(p - 0.125) < 0.005)
        var again = SplitMix64(seed: 7)
        let replay = (0..<100).map { _ in e4m3.encode(x, rounding: .stochastic, overflow: .ieee, random: again.next()) }
        #expect(replay == first)
        #expect(e4m3.encode(1.0, rounding: .stochastic, overflow: .ieee, random: .max) == 0x38)  // exact stays exact
    }
}

