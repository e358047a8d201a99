import Testing
import Formats
@testable import Arithmetic

func format(_ name: String) -> AnyScalarFormat { try! FormatCatalog.scalarFormat(named: name) }

/// One reading of the L-Mul paper's precision claims among several (`LMulReadingTests` and
/// docs/numerics-reproductions.md list them): the FP8 product is rounded back to FP8, the L-Mul product is not
/// rounded. It is not the paper's own setup, which no stored copy of §3.2 gives; the claims stay unreproduced.
@Suite("L-Mul (arXiv 2410.00907) against FP8 products rounded back to FP8: one reading of its precision claims")
struct LMulPrecisionTests {
    /// Mean relative error of products of normal inputs, against the exact product.
    func meanRelativeError(_ product: (Double, Double) -> Double) -> Double {
        let x = Distribution.normal.samples(50_000, seed: 11), y = Distribution.normal.samples(50_000, seed: 12)
        var sum = 0.0
        for i in x.indices { sum += abs(product(x[i], y[i]) - x[i] * y[i]) / abs(x[i] * y[i]) }
        return sum / Double(x.count)
    }

    /// Operands with M mantissa bits and an 8-bit exponent (round to nearest even).
    func operands(_ m: Int) -> AnyScalarFormat { .minifloat(try! Minifloat(exponentBits: 8, mantissaBits: m)) }

    @Test("4-bit-mantissa L-Mul (unrounded) is within 1.5× of an fp8_e4m3 product rounded to fp8_e4m3")
    func fourBit() {
        let e4m3 = format("fp8_e4m3"), e8m4 = operands(4)
        let lmul = meanRelativeError { lmulProduct(e8m4.quantize($0), e8m4.quantize($1), mantissaBits: 4) }
        let fp8 = meanRelativeError { e4m3.quantize(e4m3.quantize($0) * e4m3.quantize($1)) }
        #expect(lmul <= 1.5 * fp8, "L-Mul \(lmul), e4m3 \(fp8)")
    }

    @Test("3-bit-mantissa L-Mul (unrounded) beats an fp8_e5m2 product rounded to fp8_e5m2")
    func threeBit() {
        let e5m2 = format("fp8_e5m2"), e8m3 = operands(3)
        let lmul = meanRelativeError { lmulProduct(e8m3.quantize($0), e8m3.quantize($1), mantissaBits: 3) }
        let fp8 = meanRelativeError { e5m2.quantize(e5m2.quantize($0) * e5m2.quantize($1)) }
        #expect(lmul < fp8, "L-Mul \(lmul), e5m2 \(fp8)")
    }

    @Test("L-Mul follows the paper's formula when the mantissa sum does not carry")
    func formula() {
        // x = 1.25, y = 1.5 with m = 3: (1 + 0.25 + 0.5 + 2^-3) = 1.875.
        #expect(lmulProduct(1.25, 1.5, mantissaBits: 3) == 1.875)
        #expect(lmulProduct(-1.25, 3.0, mantissaBits: 3) == -(1 + 0.25 + 0.5 + 0.125) * 2)
        #expect(lmulProduct(0, 3, mantissaBits: 3) == 0)
        #expect(lmulOffsetExponent(4) == 3 && lmulOffsetExponent(7) == 4 && lmulOffsetExponent(2) == 2)
    }
}

@Suite("Accumulators")
struct AccumulatorTests {
    /// Not a reproduction of DeepSeek-V3's figure (which states neither its metric nor its data: see
    /// `ReproductionTests` and check-models); a check that truncation errs by a visible margin on a row
    /// whose sum grows with K, and that promotion removes most of it.
    @Test("a 14-bit truncating FP8 accumulator over K = 4096 errs by 0.5–5% on a growing sum; promotion every 128 cuts it ≥ 10×")
    func deepSeek() {
        let e4m3 = format("fp8_e4m3")
        let k = 4096
        var worst = 0.0, worstPromoted = 0.0
        for trial in 0..<8 {
            // Post-activation inputs |N(0,1)| against weights N(0.25, 1): a dot
            // product whose sum grows with K, as in a real GEMM row.
            let a = Distribution.normal.samples(k, seed: UInt64(100 + trial)).map { e4m3.quantize(abs($0)) }
            let b = Distribution.normal.samples(k, seed: UInt64(200 + trial)).map { e4m3.quantize($0 + 0.25) }
            let exact = zip(a, b).reduce(0.0) { $0 + $1.0 * $1.1 }
            let tensorCore = DotProductEmulator(multiplier: .exact(resultFormat: nil),
                                                accumulator: .alignedTruncating(keptBits: 14, groupSize: 32))
            var promoted = tensorCore
            promoted.promotionInterval = 128
            worst = max(worst, abs(tensorCore.dot(a, b).value - exact) / abs(exact))
            worstPromoted = max(worstPromoted, abs(promoted.dot(a, b).value - exact) / abs(exact))
        }
        #expect(worst > 0.005 && worst < 0.05, "max relative error \(worst)")
        #expect(worstPromoted * 10 <= worst, "promoted \(worstPromoted) vs \(worst)")
    }

    @Test("integer accumulator width: the AM004 formula is enough, one bit less overflows",
          arguments: [(8, 8, 4096), (4, 4, 128), (8, 4, 1000), (2, 2, 3), (16, 8, 64)])
    func integerWidth(n: Int, m: Int, k: Int) {
        let width = Accumulator.integerBitsNeeded(operandBits: n, by: m, products: k)
        // Worst case: every product is (−2^(n−1))·(−2^(m−1)).
        let a = [Double](repeating: -Double(1 << (n - 1)), count: k)
        let b = [Double](repeating: -Double(1 << (m - 1)), count: k)
        let exact = Double(k) * Double(1 << (n - 1)) * Double(1 << (m - 1))
        let fits = DotProductEmulator(multiplier: .exact(resultFormat: nil), accumulator: .integer(bits: width, saturating: false)).dot(a, b)
        #expect(fits.value == exact && !fits.overflowed)
        let narrow = DotProductEmulator(multiplier: .exact(resultFormat: nil), accumulator: .integer(bits: width - 1, saturating: false)).dot(a, b)
        #expect(narrow.overflowed && narrow.value != exact)
        let saturating = DotProductEmulator(multiplier: .exact(resultFormat: nil), accumulator: .integer(bits: width - 1, saturating: true)).dot(a, b)
        #expect(saturating.value == Double((Int64(1) << (width - 2)) - 1))
    }

    /// k normal samples in `format`, clamped to ±`limit`: every `every`-th scaled by `large`, the others
    /// by `small` (large and tiny magnitudes together, where a rounding accumulator loses the tiny ones).
    func mixedMagnitudes(_ format: AnyScalarFormat, limit: Double, _ k: Int, seed: UInt64, every: Int,
                         large: Double, small: Double) -> [Double] {
        Distribution.normal.samples(k, seed: seed).enumerated().map {
            format.quantize(min(max(($0.offset % every == 0 ? large : small) * $0.element, -limit), limit))
        }
    }

    /// fp8_e4m3 values are multiples of 2^-9 below 2^9, so their products are integers times 2^-18 and
    /// K = 4096 of them sum exactly in an Int64 of that grid: the oracle, independent of the summation.
    @Test("the exact (fixed-point) accumulator equals the integer sum of e4m3 products; FP32 does not")
    func exactAccumulator() {
        let e4m3 = format("fp8_e4m3")
        let k = 4096
        var fp32Differs = false
        for trial in 0..<8 {
            let a = mixedMagnitudes(e4m3, limit: 448, k, seed: UInt64(300 + trial), every: 2, large: 100,
                                    small: 1.0 / 64)
            let b = mixedMagnitudes(e4m3, limit: 448, k, seed: UInt64(400 + trial), every: 1, large: 100, small: 100)
            let grid = zip(a, b).reduce(Int64(0)) { $0 + Int64($1.0 * 0x1p9) * Int64($1.1 * 0x1p9) }
            let exact = DotProductEmulator(multiplier: .exact(resultFormat: nil), accumulator: .exact).dot(a, b)
            #expect(exact.value == Double(grid) * 0x1p-18 && !exact.overflowed, "trial \(trial)")
            let fp32 = DotProductEmulator(multiplier: .exact(resultFormat: nil),
                                          accumulator: .float(try! Minifloat(exponentBits: 8, mantissaBits: 23)))
            fp32Differs = fp32Differs || fp32.dot(a, b).value != exact.value
        }
        #expect(fp32Differs)
        // Compensation recovers what a plain double sum drops: 2^60 + 1 − 2^60.
        let tiny = DotProductEmulator(multiplier: .exact(resultFormat: nil), accumulator: .exact)
        #expect(tiny.dot([0x1p60, 1, -0x1p60], [1, 1, 1]).value == 1)
    }

    /// e5m2 products span 2^-32…2^31.6, wider than a double's 53 bits, so a plain double sum of large and
    /// tiny ones drops bits; the oracle is the Int128 sum on their 2^-32 grid.
    @Test("the exact accumulator keeps e5m2 products a plain double sum drops: within an ulp of the Int128 sum")
    func exactAccumulatorWideRange() {
        let e5m2 = format("fp8_e5m2")
        let k = 4096
        var naiveDiffers = false
        for trial in 0..<8 {
            let a = mixedMagnitudes(e5m2, limit: 57344, k, seed: UInt64(500 + trial), every: 2, large: 10_000,
                                    small: 1.0 / 10_000)
            let b = mixedMagnitudes(e5m2, limit: 57344, k, seed: UInt64(600 + trial), every: 3, large: 10_000,
                                    small: 1.0 / 10_000)
            let grid = zip(a, b).reduce(Int128(0)) { $0 + Int128($1.0 * 0x1p16) * Int128($1.1 * 0x1p16) }
            let truth = Double(grid) * 0x1p-32
            let exact = DotProductEmulator(multiplier: .exact(resultFormat: nil), accumulator: .exact).dot(a, b).value
            #expect(abs(exact - truth) <= truth.ulp, "trial \(trial): \(exact) vs \(truth)")
            let naive = zip(a, b).reduce(0.0) { $0 + $1.0 * $1.1 }
            naiveDiffers = naiveDiffers || abs(naive - truth) > truth.ulp
        }
        #expect(naiveDiffers)
    }

    @Test("an FP32 accumulator rounds after every addition")
    func fp32() throws {
        let fp32 = try Minifloat(exponentBits: 8, mantissaBits: 23)
        let acc = DotProductEmulator(multiplier: .exact(resultFormat: nil), accumulator: .float(fp32))
        // 2^24 + 1 is not representable: adding 1 to 2^24 leaves it unchanged.
        #expect(acc.dot([0x1p24, 1, 1], [1, 1, 1]).value == 0x1p24)
        let fp64Like = DotProductEmulator(multiplier: .exact(resultFormat: nil), accumulator: .alignedTruncating(keptBits: 60, groupSize: 32))
        #expect(fp64Like.dot([0x1p24, 1, 1], [1, 1, 1]).value == 0x1p24 + 2)
        // 1 + (2^-24 + 2^-76) lies just above a binary32 midpoint; a double sum
        // rounds it onto the midpoint, and rounding that to float would tie to 1.
        #expect(acc.dot([1, 1], [1, 0x1p-24 + 0x1p-76]).value == 1 + 0x1p-23)
        #expect(acc.dot([1, 1], [1, 0x1p-24 - 0x1p-76]).value == 1)
        #expect(acc.dot([1, 1], [1, 0x1p-24]).value == 1)            // an exact tie: to even
        #expect(acc.dot([1, 1], [1, 3 * 0x1p-24]).value == 1 + 0x1p-22)
        // Against the exact encoder wherever the double sum is exact.
        var rng = SplitMix64(seed: 8)
        for _ in 0..<20_000 {
            let s = Double(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x3FFF_FFFF | 0x3000_0000))
            let p = Double(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x3FFF_FFFF | 0x3000_0000))
            #expect(acc.dot([s, p], [1, 1]).value == fp32.quantize(s + p))
        }
    }
}

@Suite("Bit decomposition on binary datapaths (arXiv 2409.17870)")
struct BitDecompositionTests {
    @Test("p × q-bit products from p·q binary products are exact for every p, q ≤ 8")
    func exact() throws {
        var rng = SplitMix64(seed: 5)
        for p in 1...8 {
            for q in 1...8 {
                let n = 100
                let w = (0..<n).map { _ in UInt32(truncatingIfNeeded: rng.next()) & ((1 << p) - 1) }
                let a = (0..<n).map { _ in UInt32(truncatingIfNeeded: rng.next()) & ((1 << q) - 1) }
                let bw = try IntegerFormat(bits: p, kind: .bipolar), ba = try IntegerFormat(bits: q, kind: .bipolar)
                let direct = zip(w, a).reduce(Int64(0)) { $0 + bw.integer(of: $1.0) * ba.integer(of: $1.1) }
                #expect(BitDecomposition.bipolarDot(weightCodes: w, weightBits: p, activationCodes: a, activationBits: q) == direct)
                let tw = try IntegerFormat(bits: p, kind: .twosComplement), ta = try IntegerFormat(bits: q, kind: .twosComplement)
                let directTwos = zip(w, a).reduce(Int64(0)) { $0 + tw.integer(of: $1.0) * ta.integer(of: $1.1) }
                #expect(BitDecomposition.twosComplementDot(weightCodes: w, weightBits: p, activationCodes: a, activationBits: q) == directTwos)
            }
        }
    }
}

@Suite("Distributions and error metrics")
struct DistributionTests {
    @Test("unit variance, reproducible from a seed", arguments: [Distribution.normal, .laplace, .uniform, .studentT(degreesOfFreedom: 5)])
    func moments(d: Distribution) {
        let x = d.samples(200_000, seed: 3)
        #expect(x == d.samples(200_000, seed: 3))
        let mean = x.reduce(0, +) / Double(x.count)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.05, "\(d) variance \(variance)")
    }

    @Test("crest factor control hits its target")
    func crest() {
        let x = withCrestFactor(Distribution.normal.samples(4096, seed: 4), target: 8, blockSize: 1024)!
        for start in stride(from: 0, to: 4096, by: 1024) {
            let block = Array(x[start..<start + 1024])
            let mean = block.reduce(0, +) / 1024
            let sigma = (block.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 1024).squareRoot()
            let kappa = block.map(abs).max()! / sigma
            #expect(abs(kappa - 8) < 1e-6)
        }
        // One outlier among 32 values reaches at most 32/√31 ≈ 5.75.
        #expect(withCrestFactor([1, 2, 3, 4], target: 8, blockSize: 32) == nil)
        #expect(withCrestFactor(Distribution.normal.samples(64, seed: 1), target: 5, blockSize: 32) != nil)
    }

    @Test("QSNR and relative errors")
    func metrics() {
        let m = ErrorMetrics(reference: [1, 2, 0], approximate: [1.1, 2, 0.1])
        // noise 0.01 + 0.01, signal 5 → QSNR = 10·log10(250).
        #expect(abs(m.qsnrDecibels - 23.979) < 1e-3)
        #expect(abs(m.meanRelativeError - 0.05) < 1e-12)
        #expect(abs(m.maxRelativeError - 0.1) < 1e-12)
        #expect(ErrorMetrics(reference: [1], approximate: [.infinity]).overflowCount == 1)
    }
}


@Suite("Closed-form QSNR against emulation")
struct QSNRModelTests {
    @Test("within 1 dB on normal data", arguments: ["int8", "mxint8", "mxfp8_e4m3", "mxfp4", "nvfp4", "int4_g128", "fp8_e4m3"])
    func agrees(name: String) throws {
        let format = try FormatCatalog.format(named: name)
        let emulated = try #require(ErrorStudy(format: format, samples: 65_536, seed: 21).quantizationError()).qsnrDecibels
        let predicted = QSNRModel.predictedQSNR(format, tensorSize: 65_536)
        #expect(abs(emulated - predicted) <= 1, "\(name): emulated \(emulated) dB, predicted \(predicted) dB")
    }
}
