import Foundation
import Formats

/// Published numerics recomputed by lpsim's own emulation, for the tests
/// and `check-models` (which print them beside the published figures).
public enum Reproductions {
    /// The crest factor κ at which a block INT format and a block FP format
    /// of the same width give the same QSNR on normal data (arXiv 2510.25602
    /// §4.2), found by bisection on [low, high]: κ is imposed in every block
    /// (`withCrestFactor` with the block as group), both formats use the
    /// round-up scale rule where they have power-of-two scales. nil when
    /// the sign of the QSNR difference does not change on the interval.
    public static func crossoverCrestFactor(int: String, fp: String, low: Double = 1.3, high: Double = 5.5,
                                            samples: Int = 65_536, seed: UInt64 = 0) -> Double? {
        guard let a = try? format(int), let b = try? format(fp) else { return nil }
        let group = b.blockSize
        func difference(_ kappa: Double) -> Double? {
            guard let x = ErrorStudy(format: .block(a), samples: samples, seed: seed, crestFactor: kappa,
                                     crestGroup: group).quantizationError()?.qsnrDecibels,
                  let y = ErrorStudy(format: .block(b), samples: samples, seed: seed, crestFactor: kappa,
                                     crestGroup: group).quantizationError()?.qsnrDecibels else { return nil }
            return x - y
        }
        // One outlier among g values reaches at most κ = g/√(g − 1).
        let high = min(high, 0.999 * Double(group) / Double(group - 1).squareRoot())
        guard var lo = difference(low), let hi = difference(high), lo > 0, hi < 0 else { return nil }
        var l = low, h = high
        for _ in 0..<10 {
            let mid = (l + h) / 2
            guard let d = difference(mid) else { return nil }
            if d > 0 { l = mid; lo = d } else { h = mid }
        }
        return (l + h) / 2
    }

    /// The crossover of the closed-form QSNRs (`INTvsFPTheory`, the paper's
    /// Theorems 1 and 2) for catalogue formats, the way §4.2 locates it.
    public static func theoreticalCrossover(int: String, fp: String,
                                            levels: INTvsFPTheory.Levels = .theorem) -> Double? {
        guard let a = try? format(int), let b = try? format(fp) else { return nil }
        return INTvsFPTheory.crossover(int: a, fp: b, levels: levels)
    }

    static func format(_ name: String) throws -> BlockFormat {
        guard case .block(let b) = try FormatCatalog.format(named: name) else {
            throw FormatError.invalidParameters(name)
        }
        return b.rule == .absMax ? b : try b.withScaleRule(.sharedExponentRoundUp)
    }

    /// Theorem 1 of arXiv 2510.25602 for a b-bit symmetric INT block format,
    /// as the uniform-noise derivation gives it (derived here, not copied):
    /// QSNR = 10·log10(12·Q² / (ρ²·κ²)) ≈ 4.78 + 6.02·b − 20·log10 ρ − 20·log10 κ,
    /// with Q = 2^(b−1) − 1 and ρ = s′/s ∈ [1, 2) the overhead of rounding
    /// the scale amax/Q up to a power of two (ρ² its signal-weighted mean
    /// square over blocks; 3/ln 4 if log2 s were uniform — it is not when κ
    /// is fixed, so callers pass the ρ² of their data).
    public static func theorem1INTQSNR(bits: Int, crestFactor kappa: Double, rhoSquared: Double) -> Double {
        let q = Double((1 << (bits - 1)) - 1)
        return 10 * log10(12 * q * q / (rhoSquared * kappa * kappa))
    }

    /// The signal-weighted mean square ρ² of the round-up scale overhead
    /// 2^⌈log2(amax/Q)⌉ / (amax/Q) over the blocks of `values`.
    public static func roundUpOverheadSquared(_ values: [Double], blockSize g: Int, bits: Int) -> Double {
        let q = Double((1 << (bits - 1)) - 1)
        var weighted = 0.0, signal = 0.0
        for start in stride(from: 0, to: values.count, by: g) {
            let block = values[start..<min(start + g, values.count)]
            let amax = block.reduce(0) { max($0, abs($1)) }
            guard amax > 0 else { continue }
            let s = amax / q, rho = Double(sign: .plus, exponent: Int(log2(s).rounded(.up)), significand: 1) / s
            let power = block.reduce(0) { $0 + $1 * $1 }
            weighted += rho * rho * power
            signal += power
        }
        return signal > 0 ? weighted / signal : 1
    }
}

extension Reproductions {
    /// DeepSeek-V3's setup (arXiv 2412.19437 §3.3.2): E4M3 operands, K-long
    /// dot products through an accumulator that keeps `keptBits` of each
    /// aligned product per 32, optionally promoted to FP32 every
    /// `promotion` products; the error of the accumulation alone (against
    /// the exact sum of the same products). `sameSign` draws |N(0, 1)|
    /// operands, so no output is near zero and relative errors are not
    /// dominated by cancellation.
    public static func deepSeekAccumulation(keptBits: Int = 14, length: Int = 4096, promotion: Int? = nil,
                                            count: Int = 128, sameSign: Bool, seed: UInt64 = 0) -> ErrorMetrics? {
        let n = length * count
        var w = Distribution.normal.samples(n, seed: seed), x = Distribution.normal.samples(n, seed: seed &+ 1)
        if sameSign { w = w.map(abs); x = x.map(abs) }
        guard let e4m3 = try? FormatCatalog.format(named: "fp8_e4m3") else { return nil }
        let device = DeviceArithmetic(accumulator: .alignedTruncating(keptBits: keptBits, groupSize: 32),
                                      promotionInterval: promotion)
        return try? DotProductErrors.measure(weights: w, inputs: x, length: length, weightFormat: e4m3,
                                             inputFormat: e4m3, device: device).accumulation
    }

    /// Mean relative error of one multiplication on N(0, 1) operands, the
    /// way L-Mul's precision claims compare multipliers (arXiv 2410.00907
    /// §3.2, as lpsim reads it): each operand is first rounded to the
    /// operand format (m mantissa bits with an 8-bit exponent for L-Mul,
    /// E4M3 or E5M2 for FP8), then multiplied (L-Mul, or exactly with the
    /// product optionally rounded back to the FP8 format), against the
    /// exact product of the unrounded operands.
    public static func multiplicationError(_ multiplier: Multiplier, operandFormat: AnyScalarFormat,
                                           samples: Int = 200_000, seed: UInt64 = 0) -> Double {
        let x = Distribution.normal.samples(samples, seed: seed),
            y = Distribution.normal.samples(samples, seed: seed &+ 1)
        var sum = 0.0, count = 0
        for i in 0..<samples where x[i] != 0 && y[i] != 0 {
            let a = operandFormat.quantize(x[i]), b = operandFormat.quantize(y[i])
            guard a != 0, b != 0 else { continue }
            let exact = x[i] * y[i]
            sum += abs(multiplier.multiply(a, b) - exact) / abs(exact)
            count += 1
        }
        return count == 0 ? 0 : sum / Double(count)
    }
}
