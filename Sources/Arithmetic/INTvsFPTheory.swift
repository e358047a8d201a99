import Foundation
import Formats

/// The closed-form QSNR of block formats that the INT-vs-FP study uses for
/// its crossover crest factors (Chen et al., arXiv 2510.25602, Theorems 1
/// and 2; §4.2, Fig. 3 is drawn from these formulas, not from quantised
/// data — the authors' `theoretical_comparisons.py`, github.com/ChenMnZ/
/// INT_vs_FP, commit 3c5da03, plots exactly these curves and marks where
/// they cross).
///
/// The model: the elements of a block are N(0, σ²); the block maximum is
/// κσ; the scale is s = ρ·κσ / Q_max, where ρ ≥ 1 is the overhead of
/// rounding the scale (the paper takes ρ = 1.5 for UE8M0 round-up scales,
/// the middle of [1, 2), and ρ = 1.05 for E4M3 scales). Then, per element:
///
/// - INT (Theorem 1): uniform noise of one step, s²/12, so
///   QSNR = 10·log10(12·Q² / (ρ²κ²)); the theorem writes Q = 2^(b−1)
///   (4.78 + 6.02·b − 20·log10 ρ − 20·log10 κ), although the symmetric
///   quantiser it describes has Q = 2^(b−1) − 1 levels — `Levels` selects.
/// - FP (Theorem 2), with M mantissa bits, bias B and largest value Q_max,
///   in units of σ with t = x/σ and thresholds τ₀ = (ρκ/Q_max)·2^(−B−M)
///   (half the smallest subnormal) and τ_N = (ρκ/Q_max)·2^(1−B) (the
///   smallest normal):
///   - normal |t| > τ_N: relative noise α = 1/(24·4^M) (a mantissa step
///     2^−M of a log-uniform significand, squared over 12), weighted by the
///     normal region's share of the energy w_N = 2(τ_N·φ(τ_N) + 1 − Φ(τ_N));
///   - subnormal τ₀ < |t| < τ_N: the absolute step s·2^(1−B−M), noise
///     β·(ρκ)² with β = 4^(1−B−M) / (12·Q_max²), times its probability
///     p = 2(Φ(τ_N) − Φ(τ₀));
///   - |t| < τ₀ rounds to zero: its energy w₀ = 2Φ(τ₀) − 1 − 2τ₀φ(τ₀).
///   QSNR = −10·log10(α·w_N + β·(ρκ)²·p + w₀).
/// - NV blocks (absmax E4M3 scales, k = 16): the block maximum is held
///   exactly, so INT's noise is scaled by (1 − 1/k) and FP's normal-region
///   energy loses the maximum's share, w_N − κ²/k (floored at 0).
///
/// These are lpsim's own implementation of the stated formulas; the
/// bit-exact emulation (`Reproductions.crossoverCrestFactor`) is the
/// independent check of how far the approximations carry.
public enum INTvsFPTheory {
    /// How many positive levels the INT formula assumes.
    public enum Levels: Sendable {
        /// Q = 2^(b−1), as Theorem 1 and the published curves write it.
        case theorem
        /// Q = 2^(b−1) − 1, the symmetric range the quantiser has.
        case exact
    }

    /// The scale-rounding overhead ρ the paper assumes for a block format:
    /// 1.05 under absmax (E4M3) scales, 1.5 under power-of-two scales.
    public static func rho(for format: BlockFormat) -> Double {
        format.rule == .absMax ? 1.05 : 1.5
    }

    /// Predicted QSNR (dB) of `format` at crest factor `kappa`; nil for an
    /// element format the theorems do not cover (bipolar or unsigned).
    public static func qsnr(_ format: BlockFormat, crestFactor kappa: Double, levels: Levels = .theorem,
                            rho: Double? = nil) -> Double? {
        let rho = rho ?? Self.rho(for: format)
        let nvBlock = format.rule == .absMax ? Double(format.blockSize) : nil
        switch format.element {
        case .integer(let i):
            guard i.kind == .symmetric || i.kind == .twosComplement else { return nil }
            let q = levels == .theorem ? Double(sign: .plus, exponent: i.bitWidth - 1, significand: 1)
                : (i.maxFinite / i.step).rounded(.down)
            var relativeNoise = rho * rho * kappa * kappa / (12 * q * q)
            if let k = nvBlock { relativeNoise *= 1 - 1 / k }
            return -10 * log10(relativeNoise)
        case .minifloat(let f):
            let m = Double(f.mantissaBits), b = Double(f.bias), qmax = f.maxFinite
            let alpha = 1 / (24 * pow(2, 2 * m))
            let beta = pow(2, 2 * (1 - b - m)) / (12 * qmax * qmax)
            let unit = rho * kappa / qmax
            let tau0 = unit * pow(2, -b - m), tauN = unit * pow(2, 1 - b)
            let subnormal = 2 * (normalCDF(tauN) - normalCDF(tau0))
            let zero = 2 * normalCDF(tau0) - 1 - 2 * tau0 * normalPDF(tau0)
            var normal = 2 * (tauN * normalPDF(tauN) + 1 - normalCDF(tauN))
            if let k = nvBlock { normal = max(0, normal - kappa * kappa / k) }
            return -10 * log10(alpha * normal + beta * rho * rho * kappa * kappa * subnormal + zero)
        }
    }

    /// The crest factor where the INT format's predicted QSNR falls to the
    /// FP format's: the first sign change of the difference on a 0.01 grid
    /// over [low, high], refined by bisection. nil when there is none.
    public static func crossover(int: BlockFormat, fp: BlockFormat, levels: Levels = .theorem,
                                 low: Double = 1, high: Double = 12) -> Double? {
        func difference(_ kappa: Double) -> Double? {
            guard let a = qsnr(int, crestFactor: kappa, levels: levels),
                  let b = qsnr(fp, crestFactor: kappa) else { return nil }
            return a - b
        }
        var previous = low
        guard var dPrevious = difference(low) else { return nil }
        var kappa = low
        while kappa < high {
            kappa = min(kappa + 0.01, high)
            guard let d = difference(kappa) else { return nil }
            if (d <= 0) != (dPrevious <= 0) {
                var l = previous, h = kappa
                for _ in 0..<60 {
                    let mid = (l + h) / 2
                    guard let dm = difference(mid) else { return nil }
                    if (dm <= 0) == (dPrevious <= 0) { l = mid } else { h = mid }
                }
                return (l + h) / 2
            }
            previous = kappa
            dPrevious = d
        }
        return nil
    }

    static func normalPDF(_ x: Double) -> Double { exp(-x * x / 2) / (2 * Double.pi).squareRoot() }
    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
}
