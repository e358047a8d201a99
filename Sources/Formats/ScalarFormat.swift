/// A bit-exact number format whose every element is encoded on its own:
/// integers, bipolar-INT, fixed point and ExMy minifloats.
///
/// Conforming types map a real number to a code (the format's bits,
/// right-aligned in a `UInt32`) under a rounding mode and an overflow rule,
/// and map every code back to the real it stands for. Decoding is exact:
/// every value of every supported format is representable as a `Double`.
///
/// Invariants every conformer keeps (and the test suite checks):
/// - `decode(encode(decode(c))) == decode(c)` for every non-NaN code `c`;
/// - `encode` is monotone: `x ≤ y` implies `decode(encode(x)) ≤ decode(encode(y))`
///   for any one non-stochastic rounding mode;
/// - codes never have bits set above `bitWidth`.
public protocol ScalarFormat: Sendable, CustomStringConvertible {
    /// The canonical name, e.g. `fp8_e4m3`, `int4`, `fixed<16,8>`.
    var name: String { get }
    /// Bits in one encoding.
    var bitWidth: Int { get }
    /// The largest finite value.
    var maxFinite: Double { get }
    /// The smallest positive value with full precision (for integers and
    /// fixed point, the step).
    var minNormal: Double { get }
    /// The smallest positive value (the smallest subnormal for floats).
    var minPositive: Double { get }
    /// The gap between 1 and the next larger value, or the step where 1 is
    /// not representable (integers wider than their range, bipolar-INT).
    var epsilon: Double { get }
    /// The format has encodings of ±infinity.
    var hasInfinity: Bool { get }
    /// The format has at least one NaN encoding.
    var hasNaN: Bool { get }
    /// The format can represent negative values.
    var isSigned: Bool { get }

    /// Encodes `x`.
    ///
    /// - Parameters:
    ///   - rounding: how an inexact value picks a neighbour.
    ///   - overflow: what a value beyond ±max becomes (see `OverflowRule`).
    ///   - random: a uniformly random word; read only by stochastic rounding.
    /// - Returns: the code, right-aligned, with no bits above `bitWidth`.
    func encode(_ x: Double, rounding: RoundingMode, overflow: OverflowRule, random: UInt64) -> UInt32

    /// The exact value of `code`: NaN for NaN codes, ±infinity for infinity codes.
    func decode(_ code: UInt32) -> Double
}

extension ScalarFormat {
    public var description: String { name }

    /// Encodes with round-to-nearest-even and IEEE overflow, the default
    /// conversion of IEEE 754 and of ml_dtypes' `astype`.
    @inlinable
    public func encode(_ x: Double) -> UInt32 {
        encode(x, rounding: .nearestEven, overflow: .ieee, random: 0)
    }

    /// The value `x` becomes when stored in this format.
    @inlinable
    public func quantize(_ x: Double, rounding: RoundingMode = .nearestEven,
                         overflow: OverflowRule = .ieee, random: UInt64 = 0) -> Double {
        decode(encode(x, rounding: rounding, overflow: overflow, random: random))
    }

    /// Number of distinct encodings, 2^bitWidth.
    public var codePointCount: Int { 1 << bitWidth }

    /// 20·log10(max finite / min positive): the span of magnitudes the
    /// format covers, in decibels.
    public var dynamicRangeDecibels: Double {
        20 * (maxFinite / minPositive).log10Value
    }

    /// Hex digits needed to print a code: ⌈bitWidth / 4⌉.
    public var hexDigits: Int { (bitWidth + 3) / 4 }
}

extension Double {
    @usableFromInline
    var log10Value: Double {
        // log10 through log2 keeps Formats free of Foundation.
        Double(exponent) * 0.301_029_995_663_981_2 + Self.log10OfSignificand(significand)
    }

    @usableFromInline
    static func log10OfSignificand(_ s: Double) -> Double {
        // s in [1, 2): atanh series for ln(s), converted to log10.
        let y = (s - 1) / (s + 1)
        let y2 = y * y
        var term = y, sum = 0.0
        var k = 1.0
        while k < 60 {
            sum += term / k
            term *= y2
            k += 2
        }
        return 2 * sum * 0.434_294_481_903_251_8
    }
}
