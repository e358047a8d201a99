import Formats

/// How a processing element multiplies: the alternatives a datapath chooses
/// between, each with a bit-exact emulation.
public enum Multiplier: Sendable, Hashable, CustomStringConvertible {
    /// The exact product, optionally rounded (nearest-even) to a result
    /// format, as an FP8 multiplier that returns FP8 does.
    case exact(resultFormat: AnyScalarFormat?)
    /// L-Mul with M-bit mantissas (arXiv 2410.00907).
    case lmul(mantissaBits: Int)

    public var description: String {
        switch self {
        case .exact(nil): return "exact"
        case .exact(let f?): return "exact, rounded to \(f.name)"
        case .lmul(let m): return "L-Mul (\(m)-bit mantissa)"
        }
    }

    /// The product of two operands (already in the operand format).
    @inlinable
    public func multiply(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .exact(let format):
            let p = a * b   // exact for operands of ≤ 26 significant bits
            return format.map { $0.quantize(p) } ?? p
        case .lmul(let m):
            return lmulProduct(a, b, mantissaBits: m)
        }
    }
}

/// The offset exponent l(m) of L-Mul: m for m ≤ 3, 3 for m = 4, 4 above
/// (arXiv 2410.00907, Eq. 3).
@inlinable
public func lmulOffsetExponent(_ m: Int) -> Int { m <= 3 ? m : m == 4 ? 3 : 4 }

/// L-Mul as the hardware computes it: the operands' exponent-and-mantissa
/// fields are added as one integer, with the 2^−l(m) offset added to the
/// mantissa field and the sign by XOR. Where 1 + xm + ym + 2^−l(m) < 2
/// this is exactly the paper's (1 + xm + ym + 2^−l(m))·2^(xe+ye); a carry
/// out of the mantissa field moves into the exponent, as integer addition
/// does.
///
/// - Precondition: `a` and `b` have at most `mantissaBits` fraction bits
///   (round them first); zero, NaN and ∞ propagate as in multiplication.
@inlinable
public func lmulProduct(_ a: Double, _ b: Double, mantissaBits m: Int) -> Double {
    guard a.isFinite, b.isFinite, a != 0, b != 0 else { return a * b }
    let scale = Double(1 << m)
    // Field = exponent·2^m + mantissa, as integers.
    let fa = Int(a.exponent) << m + Int((a.significand - 1) * scale)
    let fb = Int(b.exponent) << m + Int((b.significand - 1) * scale)
    let offset = 1 << (m - min(m, lmulOffsetExponent(m)))
    let f = fa + fb + offset
    let exponent = f >> m, mantissa = f & ((1 << m) - 1)
    let magnitude = Double(sign: .plus, exponent: exponent, significand: 1 + Double(mantissa) / scale)
    return (a.sign == b.sign) ? magnitude : -magnitude
}
