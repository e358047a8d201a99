/// A dyadic number b / 2^c: the integer-only requantization multiplier of
/// HAWQ-V3 (Yao et al., ICML 2021, §3.2), which replaces a real rescale
/// factor by an integer multiply and a right shift.
public struct DyadicScale: Sendable, Hashable, CustomStringConvertible {
    /// b, the integer multiplier.
    public let multiplier: Int64
    /// c, the right shift.
    public let shift: Int

    /// - Throws: when c is outside 0…126.
    public init(multiplier: Int64, shift: Int) throws(FormatError) {
        guard (0...126).contains(shift) else { throw .invalidParameters("dyadic shift must be 0…126, got \(shift)") }
        self.multiplier = multiplier
        self.shift = shift
    }

    /// The b/2^c nearest to `m` with |b| < 2^(multiplierBits−1) and the
    /// largest such c (at most `maxShift`): the most precise dyadic that fits.
    ///
    /// - Throws: when `m` is not finite or too large for the multiplier.
    public init(approximating m: Double, multiplierBits: Int = 32, maxShift: Int = 62) throws(FormatError) {
        guard m.isFinite, (2...63).contains(multiplierBits) else {
            throw .invalidParameters("cannot approximate \(m) by a dyadic with a \(multiplierBits)-bit multiplier")
        }
        if m == 0 { try self.init(multiplier: 0, shift: 0); return }
        let limit = Double(Int64(1) << (multiplierBits - 1))
        var c = min(maxShift, multiplierBits - 2 - Int(m.exponent))
        guard c >= 0 else {
            throw .invalidParameters("\(m) is too large for a \(multiplierBits)-bit dyadic multiplier")
        }
        var b = (m * Double(sign: .plus, exponent: c, significand: 1)).rounded(.toNearestOrEven)
        if b.magnitude >= limit { b = (b / 2).rounded(.toNearestOrEven); c -= 1 }
        guard c >= 0, b.magnitude < limit else {
            throw .invalidParameters("\(m) is too large for a \(multiplierBits)-bit dyadic multiplier")
        }
        try self.init(multiplier: Int64(b), shift: c)
    }

    /// b / 2^c.
    public var value: Double { Double(sign: .plus, exponent: -shift, significand: Double(multiplier)) }

    public var description: String { "\(multiplier)/2^\(shift)" }

    /// x · b / 2^c rounded to an integer, in exact 128-bit arithmetic.
    public func apply(to x: Int64, rounding: RoundingMode = .nearestEven, random: UInt64 = 0) -> Int64 {
        let product = Int128(x) * Int128(multiplier)
        guard shift > 0 else { return Int64(clamping: product) }
        let lower = product >> shift                    // floor
        let remainder = product - (lower << shift)      // in [0, 2^c)
        if remainder == 0 { return Int64(clamping: lower) }
        let half = Int128(1) << (shift - 1)
        let position: MidpointPosition = remainder < half ? .belowMidpoint
            : remainder == half ? .atMidpoint : .aboveMidpoint
        let fraction = Double(remainder) / Double(Int128(1) << shift)
        let up = rounding.roundsUp(position: position, fraction: fraction, lowerIsEven: lower & 1 == 0,
                                   upperIsAwayFromZero: lower >= 0, upperIsTowardPositive: true, random: random)
        return Int64(clamping: up ? lower + 1 : lower)
    }
}
