/// Branch-free round-to-nearest-even onto an element format's grid, in
/// Float and in Double, for the bulk kernels (`BlockFormat.Float32Kernel`).
///
/// Why these are exact: a grid's quantum q is a power of two (the integer
/// step, or 2^(max(e, e_min) − M) for a value of binade e), so y · (1/q)
/// is exact, and adding then subtracting 1.5 · 2^p (p = 23 or 52) rounds
/// it to an integer with the hardware's ties-to-even (|y / q| < 2^22 for
/// every format the kernels accept). The quantum comes from bits with no
/// branch: max(|y|, 2^e_min) masked to its exponent field is 2^max(e, e_min);
/// its inverse is the exponent field subtracted from 2·bias (both stay normal,
/// checked in `init`). Only SSE2-class operations are used, so the loops
/// vectorise on any x86-64 or ARM64 target.
///
/// The readable reference these must equal bit for bit is `encodeBlock` +
/// `value` (tests in `Float32KernelTests`).
@usableFromInline
protocol ElementGrid: Sendable {
    /// y (already clamped to ±max) rounded to the grid, in Float.
    func round(_ y: Float) -> Float
    /// The same in Double.
    func round(_ y: Double) -> Double
}

/// A minifloat grid: M mantissa bits, smallest normal exponent e_min.
@usableFromInline
struct MinifloatGrid: ElementGrid {
    let minNormalF: Float, mantissaScaleF: Float
    let minNormalD: Double, mantissaScaleD: Double

    init?(minExponent: Int, mantissa: Int) {
        // Quanta 2^(e − M) for e_min ≤ e ≤ e_max and their inverses must be normal floats.
        guard minExponent - mantissa >= -120, mantissa <= 20, minExponent <= 100 else { return nil }
        minNormalF = Float(sign: .plus, exponent: minExponent, significand: 1)
        mantissaScaleF = Float(sign: .plus, exponent: -mantissa, significand: 1)
        minNormalD = Double(sign: .plus, exponent: minExponent, significand: 1)
        mantissaScaleD = Double(sign: .plus, exponent: -mantissa, significand: 1)
    }

    @inline(__always) @usableFromInline
    func round(_ y: Float) -> Float {
        let a = Float(bitPattern: y.bitPattern & 0x7FFF_FFFF)
        let p = a > minNormalF ? a : minNormalF
        let quantum = Float(bitPattern: p.bitPattern & 0x7F80_0000) * mantissaScaleF
        let inverse = Float(bitPattern: (254 << 23) &- quantum.bitPattern)
        let r = (y * inverse + 12_582_912) - 12_582_912
        // A minifloat keeps the sign of a value that rounds to zero.
        return Float(bitPattern: (r * quantum).bitPattern | (y.bitPattern & 0x8000_0000))
    }

    @inline(__always) @usableFromInline
    func round(_ y: Double) -> Double {
        let a = Double(bitPattern: y.bitPattern & 0x7FFF_FFFF_FFFF_FFFF)
        let p = a > minNormalD ? a : minNormalD
        let quantum = Double(bitPattern: p.bitPattern & 0x7FF0_0000_0000_0000) * mantissaScaleD
        let inverse = Double(bitPattern: (2046 << 52) &- quantum.bitPattern)
        let r = (y * inverse + 6_755_399_441_055_744) - 6_755_399_441_055_744
        return Double(bitPattern: (r * quantum).bitPattern | (y.bitPattern & 0x8000_0000_0000_0000))
    }
}

/// A two's-complement or symmetric integer grid of step 2^−F.
@usableFromInline
struct IntegerGrid: ElementGrid {
    let stepF: Float, inverseF: Float, stepD: Double, inverseD: Double

    init?(step: Double) {
        guard step >= 0x1p-100, step <= 0x1p100 else { return nil }
        stepF = Float(step); inverseF = Float(1 / step); stepD = step; inverseD = 1 / step
    }

    // An integer code has no negative zero: −0.3 steps rounds to +0 (as `encode`).
    @inline(__always) @usableFromInline
    func round(_ y: Float) -> Float { ((y * inverseF + 12_582_912) - 12_582_912) * stepF }

    @inline(__always) @usableFromInline
    func round(_ y: Double) -> Double {
        ((y * inverseD + 6_755_399_441_055_744) - 6_755_399_441_055_744) * stepD
    }
}

/// The grid of a signed minifloat (M ≥ 1) or a two's-complement or symmetric
/// integer with at most 22 magnitude bits; nil for every other format.
func elementGrid(_ f: AnyScalarFormat) -> (any ElementGrid)? {
    switch f {
    case .minifloat(let m):
        guard m.isSigned, m.mantissaBits >= 1 else { return nil }
        return MinifloatGrid(minExponent: m.minNormalExponent, mantissa: m.mantissaBits)
    case .integer(let i):
        guard i.kind == .twosComplement || i.kind == .symmetric, i.bitWidth <= 23 else { return nil }
        return IntegerGrid(step: i.step)
    }
}
