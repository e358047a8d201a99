import Formats

/// How a processing element multiplies: the alternatives a datapath chooses
/// between, each with a bit-exact emulation.
public enum Multiplier: Sendable, Hashable, CustomStringConvertible {
    /// The exact product, optionally rounded (nearest-even) to a result
    /// format, as an FP8 multiplier that returns FP8 does.
    case exact(resultFormat: AnyScalarFormat?)
    /// L-Mul with M-bit mantissas as an integer adder computes it: the
    /// operands' exponent-and-mantissa fields are added as one integer, so a
    /// significand sum 1 + xm + ym + 2^−l(m) ≥ 2 carries into the exponent
    /// (Luo & Sun, arXiv 2410.00907, Fig. 2: the GPU simulation adds the
    /// fp32 registers as unsigned int32s — the variant their numerical
    /// experiments, and so their precision claims, rest on).
    case lmul(mantissaBits: Int)
    /// L-Mul as the paper's Eq. (3) reads: (1 + xm + ym + 2^−l(m))·2^(xe+ye),
    /// the sum kept as the significand even where it reaches 2 or more (no
    /// carry into the exponent; arXiv 2410.00907 §3.1).
    case lmulEquation(mantissaBits: Int)

    public var description: String {
        switch self {
        case .exact(nil): return "exact"
        case .exact(let f?): return "exact, rounded to \(f.name)"
        case .lmul(let m): return "L-Mul, integer add (\(m)-bit mantissa; arXiv 2410.00907 Fig. 2)"
        case .lmulEquation(let m): return "L-Mul, Eq. (3) as read (\(m)-bit mantissa; arXiv 2410.00907)"
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
        case .lmulEquation(let m):
            return lmulEquationProduct(a, b, mantissaBits: m)
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
/// The addition is done on the operands' double bit patterns, whose fields
/// hold the m-bit fields in their top bits: the carry chain is the same.
///
/// - Precondition: `a` and `b` have at most `mantissaBits` fraction bits
///   (round them first; any lower bits are added too). Zero, subnormal,
///   NaN and ∞ operands fall back to ordinary multiplication.
@inlinable
public func lmulProduct(_ a: Double, _ b: Double, mantissaBits m: Int) -> Double {
    let ua = a.bitPattern, ub = b.bitPattern
    let ea = (ua >> 52) & 0x7FF, eb = (ub >> 52) & 0x7FF
    guard ea != 0, eb != 0, ea != 0x7FF, eb != 0x7FF else { return a * b }
    let offsetExponent = min(m, lmulOffsetExponent(m))
    let offset = UInt64(1) << UInt64(52 - offsetExponent)   // 2^−l(m) in the mantissa field
    let magnitude = (ua & 0x7FFF_FFFF_FFFF_FFFF) &+ (ub & 0x7FFF_FFFF_FFFF_FFFF) &- (1023 << 52) &+ offset
    return Double(bitPattern: magnitude | ((ua ^ ub) & 0x8000_0000_0000_0000))
}

/// L-Mul as Eq. (3) of arXiv 2410.00907 reads: (1 + xm + ym + 2^−l(m))·2^(xe+ye)
/// with the sign by XOR; the significand sum is kept whole (it may reach
/// 3 − 2^−m·2 + 2^−l(m)), where the integer adder would carry into the exponent.
///
/// - Precondition: as `lmulProduct`. Zero, subnormal, NaN and ∞ operands fall
///   back to ordinary multiplication.
@inlinable
public func lmulEquationProduct(_ a: Double, _ b: Double, mantissaBits m: Int) -> Double {
    guard a.isNormal, b.isNormal else { return a * b }
    let xm = a.significand - 1, ym = b.significand - 1   // significand of a Double is in [1, 2)
    let offset = Double(sign: .plus, exponent: -min(m, lmulOffsetExponent(m)), significand: 1)
    let magnitude = Double(sign: .plus, exponent: Int(a.exponent) + Int(b.exponent), significand: 1 + xm + ym + offset)
    return (a.sign == b.sign) ? magnitude : -magnitude
}
