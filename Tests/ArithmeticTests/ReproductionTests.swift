import Foundation
import Testing
@testable import Arithmetic
@testable import Formats

/// Published numerics reproduced by lpsim's emulation, each against its
/// source with a stated tolerance (check-models prints the same rows).
@Suite("Reproductions of published numerics")
struct ReproductionTests {
    // Crossover crest factors of arXiv 2510.25602 §4.2 (Fig. 3). The published values are where the
    // closed-form QSNRs of Theorems 1 and 2 cross (ρ = 1.5 for UE8M0, 1.05 for E4M3 scales; the
    // authors' theoretical_comparisons.py draws Fig. 3 from them), so that is what is reproduced.
    static let crossovers = [("mxint8", "mxfp8", 7.55), ("mxint6", "mxfp6_e2m3", 1.96),
                             ("mxint4", "mxfp4", 2.04), ("nvint4", "nvfp4", 2.39)]

    @Test("INT-vs-FP crossover crest factors from Theorems 1 and 2 within ±10%", arguments: crossovers)
    func crossoverTheory(int: String, fp: String, published: Double) throws {
        let kappa = try #require(Reproductions.theoreticalCrossover(int: int, fp: fp))
        #expect(abs(kappa / published - 1) <= 0.10, "\(int)/\(fp): κ = \(kappa), published \(published)")
    }

    @Test("Bit-exact emulation agrees with the theorems once they use the quantiser's 2^(b−1) − 1 levels",
          arguments: crossovers.dropFirst())
    func crossoverEmulated(int: String, fp: String, published: Double) throws {
        // κ imposed per block on N(0,1) data; MXINT8/MXFP8 (7.55) is beyond the κ ≤ 32/√31 one outlier
        // per block can reach, so it is checked separately below.
        let emulated = try #require(Reproductions.crossoverCrestFactor(int: int, fp: fp))
        let exact = try #require(Reproductions.theoreticalCrossover(int: int, fp: fp, levels: .exact))
        #expect(abs(emulated / exact - 1) <= 0.10, "\(int)/\(fp): emulated \(emulated), theorem (exact Q) \(exact)")
    }

    @Test("MXINT4: the published 2.04 rests on Theorem 1's Q = 8; the quantiser's Q = 7 gives ≈ 1.73–1.81")
    func crossoverMX4Levels() throws {
        // 20·log10(8/7) = 1.16 dB of INT4 QSNR moves the crossover by 15%: the theorem with the
        // real grid and the emulation both land more than 10% below the published value.
        let exact = try #require(Reproductions.theoreticalCrossover(int: "mxint4", fp: "mxfp4", levels: .exact))
        let emulated = try #require(Reproductions.crossoverCrestFactor(int: "mxint4", fp: "mxfp4"))
        #expect(exact < 2.04 * 0.9 && emulated < 2.04 * 0.9, "exact \(exact), emulated \(emulated)")
    }

    @Test("MXINT8 still beats MXFP8 at the largest crest factor one outlier per 32 can give (published crossover 7.55)")
    func crossoverMX8() throws {
        // κ ≤ 32/√31 = 5.75 per block of 32: the published 7.55 is out of reach
        // of a per-block control, so only the side of the crossover is checked.
        let int8 = try #require(ErrorStudy(format: .block(Reproductions.format("mxint8")), samples: 65_536,
                                           crestFactor: 5.7, crestGroup: 32).quantizationError())
        let fp8 = try #require(ErrorStudy(format: .block(Reproductions.format("mxfp8")), samples: 65_536,
                                          crestFactor: 5.7, crestGroup: 32).quantizationError())
        #expect(int8.qsnrDecibels > fp8.qsnrDecibels)
    }

    @Test("Theorem 1 (INT QSNR under UE8M0 round-up scales) within 0.5 dB", arguments: [
        ("mxint8", 8, 2.0), ("mxint8", 8, 3.0), ("mxint6", 6, 3.0), ("mxint4", 4, 3.0), ("mxint8", 8, 5.0),
    ])
    func theorem1(name: String, bits: Int, kappa: Double) throws {
        let study = ErrorStudy(format: .block(try Reproductions.format(name)), samples: 131_072, crestFactor: kappa,
                               crestGroup: 32)
        let measured = try #require(study.quantizationError())
        let data = try #require(study.data())
        let rho2 = Reproductions.roundUpOverheadSquared(data, blockSize: 32, bits: bits)
        let theory = Reproductions.theorem1INTQSNR(bits: bits, crestFactor: kappa, rhoSquared: rho2)
        #expect(abs(measured.qsnrDecibels - theory) <= 0.5, "\(name) κ=\(kappa): \(measured.qsnrDecibels) vs \(theory)")
    }

    // DeepSeek-V3 §3.3.2: "the limited accumulation precision in Tensor Cores results in a maximum relative
    // error of nearly 2%" for "two random matrices with K = 4096", fixed by promotion to FP32 every N_C = 128.
    // The accumulator is the H100 model HopperMMATests checks bit for bit against measured MMAs. The
    // report states neither the metric nor the distribution, and the error depends on the data's sign
    // structure by 50×: zero-mean matrices lose far less, same-sign ones far more.
    @Test("DeepSeek-V3 at K = 4096: 'nearly 2%' lies between zero-mean and same-sign E4M3 matrices")
    func deepSeek() throws {
        let signed = try #require(Reproductions.deepSeekAccumulation(sameSign: false))
        let sameSign = try #require(Reproductions.deepSeekAccumulation(sameSign: true))
        let normwise = pow(10, -signed.qsnrDecibels / 20)   // ‖error‖ / ‖reference‖
        #expect(normwise > 0.0005 && normwise < 0.004, "zero-mean norm-wise \(normwise)")
        #expect(sameSign.meanRelativeError > 0.05 && sameSign.maxRelativeError < 0.10,
                "same-sign mean \(sameSign.meanRelativeError), max \(sameSign.maxRelativeError)")
        // Truncation toward zero shrinks every same-sign output alike: the maximum is the mean.
        #expect(sameSign.maxRelativeError / sameSign.meanRelativeError < 1.2)
    }

    @Test("DeepSeek-V3's fix: promotion to FP32 every N_C = 128 cuts the accumulation error by more than 15 dB")
    func deepSeekFix() throws {
        for sameSign in [false, true] {
            let plain = try #require(Reproductions.deepSeekAccumulation(sameSign: sameSign))
            let fixed = try #require(Reproductions.deepSeekAccumulation(promotion: 128, sameSign: sameSign))
            #expect(fixed.qsnrDecibels >= plain.qsnrDecibels + 15,
                    "same-sign \(sameSign): \(fixed.qsnrDecibels) dB vs \(plain.qsnrDecibels) dB")
            #expect(fixed.meanRelativeError < 0.005)
        }
    }

    @Test("L-Mul: 3-bit L-Mul beats E5M2 multiplication (claim 2) as an integer adder computes it")
    func lmulClaims() throws {
        let e8m3 = FormatCatalog.float("e8m3", 8, 3, .ieee), e8m4 = FormatCatalog.float("e8m4", 8, 4, .ieee)
        let e5m2 = try FormatCatalog.scalarFormat(named: "fp8_e5m2"), e4m3 = try FormatCatalog.scalarFormat(named: "fp8_e4m3")
        let lmul3 = Reproductions.multiplicationError(.lmul(mantissaBits: 3), operandFormat: e8m3)
        let fp8e5 = Reproductions.multiplicationError(.exact(resultFormat: nil), operandFormat: e5m2)
        #expect(lmul3 < fp8e5)
        // Claim 1 ("4-bit L-Mul about as precise as E4M3") does not hold in
        // lpsim under this definition: L-Mul's error is 1.7× E4M3's.
        let lmul4 = Reproductions.multiplicationError(.lmul(mantissaBits: 4), operandFormat: e8m4)
        let fp8e4 = Reproductions.multiplicationError(.exact(resultFormat: nil), operandFormat: e4m3)
        #expect(lmul4 / fp8e4 > 1.4 && lmul4 / fp8e4 < 2.0)
        // The equation as read is less precise than the integer adder.
        #expect(Reproductions.multiplicationError(.lmulEquation(mantissaBits: 3), operandFormat: e8m3) > lmul3)
    }

    @Test("AM004 accumulator width for any K: C = ⌈log2(2^(N−1)·2^(M−1)·K + 1)⌉ + 1")
    func am004() {
        // Hand values: int8 × int8, K = 4096 → 2^14·2^12 + 1 → 27 bits + 1 = 28;
        // K = 65536 → 31 + 1 = 32; K = 1 → 15 + 1 = 16; int4 × int4, K = 128 → 2^13 + 1 → 14 + 1 = 15.
        #expect(Accumulator.integerBitsNeeded(operandBits: 8, by: 8, products: 4096) == 28)
        #expect(Accumulator.integerBitsNeeded(operandBits: 8, by: 8, products: 65536) == 32)
        #expect(Accumulator.integerBitsNeeded(operandBits: 8, by: 8, products: 1) == 16)
        #expect(Accumulator.integerBitsNeeded(operandBits: 4, by: 4, products: 128) == 15)
    }
}
