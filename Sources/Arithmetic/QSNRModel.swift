import Foundation
import Formats

/// A closed-form QSNR for scaled formats on normal data, from the additive
/// uniform-noise model of rounding — the kind of analysis behind the
/// INT-vs-FP study's theorems (arXiv 2510.25602 §3), derived here
/// independently:
///
/// - an element x under scale s has local quantum q(x/s) (one step for
///   integers; 2^(⌊log2|t|⌋−M), or the subnormal step, for floats), and
///   contributes s²q²/12 of noise — or x² where it is below half a quantum
///   (it rounds to zero), or (|x| − s·max)² where it is clipped;
/// - the scale follows the block maximum u: s = 2^(⌊log2 u⌋ − emax) for OCP
///   MX, s = u/max for absmax scales (NVFP4, group-wise INT, per-tensor);
/// - u is distributed as the maximum of B half-normal magnitudes, density
///   B·erf(u/√2)^(B−1)·2φ(u); the other B−1 elements are normal truncated
///   to (−u, u).
///
/// The expectation over u and x is integrated numerically (Simpson's rule),
/// so the prediction involves no sampling; tests check it against the
/// Monte-Carlo emulation of `ErrorStudy` within 1 dB.
public enum QSNRModel {
    /// Predicted QSNR (dB) of `format` on N(0, 1) data; `tensorSize` is the
    /// group over which a scalar format's absmax scale is taken.
    public static func predictedQSNR(_ format: NumberFormat, tensorSize: Int = 65_536) -> Double {
        let element: AnyScalarFormat, blockSize: Int, powerOfTwo: Bool
        var roundUp = false
        var scaleFormat: AnyScalarFormat?, tensorScale = 1.0
        switch format {
        case .scalar(let f): (element, blockSize, powerOfTwo) = (f, tensorSize, false)
        case .block(let b):
            (element, blockSize, powerOfTwo) = (b.element, b.blockSize, b.rule != .absMax)
            roundUp = b.rule == .sharedExponentRoundUp
            if b.rule == .absMax { scaleFormat = b.scale }
            if b.hasTensorScale {
                // The tensor scale from the expected tensor maximum.
                tensorScale = expectedMaximum(of: tensorSize) / (b.element.maxFinite * b.scale.maxFinite)
            }
        }
        let qmax = element.maxFinite
        let emax = Int(qmax.exponent)
        let b = Double(blockSize)
        // Expected noise per element given the block maximum u.
        func noise(given u: Double) -> Double {
            var s = powerOfTwo ? Double(sign: .plus, exponent: Int(u.exponent) - emax, significand: 1) : u / qmax
            if roundUp {
                // 2^⌈log2(u / max)⌉ (arXiv 2510.25602's UE8M0 rule).
                let r = u / qmax
                s = Double(sign: .plus, exponent: Int(r.exponent) + (r.significand > 1 ? 1 : 0), significand: 1)
            }
            if let scaleFormat {
                // The absmax scale is itself rounded to its format (E4M3, FP16).
                s = scaleFormat.encode(s / tensorScale, rounding: .nearestEven, overflow: .saturate, random: 0)
                    .decoded(by: scaleFormat) * tensorScale
            }
            let inner = simpson(0, u, 200) { x in 2 * phi(x) * elementNoise(x, scale: s, element: element) }
            let mass = erf(u / 2.0.squareRoot())
            let others = mass > 0 ? inner / mass : 0
            return ((b - 1) * others + elementNoise(u, scale: s, element: element)) / b
        }
        let density = { (u: Double) in b * pow(erf(u / 2.0.squareRoot()), b - 1) * 2 * phi(u) }
        let upper = 9.0
        let expectedNoise = simpson(1e-6, upper, 400) { u in density(u) * noise(given: u) }
        return -10 * log10(expectedNoise)   // signal power is 1
    }

    /// E[max of n half-normal magnitudes].
    static func expectedMaximum(of n: Int) -> Double {
        let b = Double(n)
        return simpson(1e-6, 9, 400) { u in u * b * pow(erf(u / 2.0.squareRoot()), b - 1) * 2 * phi(u) }
    }

    /// Squared error of one element x ≥ 0 under scale s, in the uniform-noise model.
    static func elementNoise(_ x: Double, scale s: Double, element: AnyScalarFormat) -> Double {
        guard s > 0 else { return x * x }   // a zero scale flushes the block
        let t = x / s
        let qmax = element.maxFinite
        if t > qmax { return (x - s * qmax) * (x - s * qmax) }
        let quantum: Double
        switch element {
        case .integer(let i): quantum = i.epsilon
        case .minifloat(let f):
            quantum = t < f.minNormal ? f.minPositive
                : Double(sign: .plus, exponent: Int(t.exponent) - f.mantissaBits, significand: 1)
        }
        if t < quantum / 2 { return x * x }
        return s * s * quantum * quantum / 12
    }

    static func phi(_ x: Double) -> Double { exp(-x * x / 2) / (2 * Double.pi).squareRoot() }

    /// Composite Simpson's rule with 2n intervals.
    static func simpson(_ a: Double, _ b: Double, _ n: Int, _ f: (Double) -> Double) -> Double {
        guard b > a else { return 0 }
        let h = (b - a) / Double(2 * n)
        var sum = f(a) + f(b)
        for i in 1..<(2 * n) { sum += f(a + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
        return sum * h / 3
    }
}

extension UInt32 {
    func decoded(by format: AnyScalarFormat) -> Double { format.decode(self) }
}
