extension Minifloat {
    /// The exact value of `code`; bits above `bitWidth` are ignored.
    ///
    /// NaN codes decode to a NaN with the code's sign, infinity codes to ±∞.
    @inlinable
    public func decode(_ code: UInt32) -> Double {
        let negative = code & signMask != 0
        let magnitude = code & magnitudeMask
        switch specials {
        case .ieee:
            if magnitude >> mantissaBits == (UInt32(1) << exponentBits) - 1 {
                let special = magnitude & ((UInt32(1) << mantissaBits) - 1) == 0 ? Double.infinity : .nan
                return negative ? -special : special
            }
        case .fn:
            if magnitude == magnitudeMask { return negative ? -.nan : .nan }
        case .fnu:
            if magnitude == magnitudeMask { return .nan }
        case .fnuz:
            if negative && magnitude == 0 { return .nan }
        case .none:
            break
        }
        let value = magnitudeValue(magnitude)
        return negative ? -value : value
    }

    /// Encodes `x`; see the type's documentation for edge cases.
    @inlinable
    public func encode(_ x: Double, rounding: RoundingMode, overflow: OverflowRule, random: UInt64) -> UInt32 {
        if hasFastPath && rounding == .nearestEven && overflow == .ieee {
            return encodeNearestEven(x)
        }
        return encodeExactly(x, rounding: rounding, overflow: overflow, random: random)
    }

    /// Round-to-nearest-even with IEEE overflow by bit manipulation: the
    /// bulk path, identical in result to the general one (tests compare them).
    ///
    /// - Precondition: `hasFastPath` (M ≥ 1 and not `fnu`).
    @inlinable
    public func encodeNearestEven(_ x: Double) -> UInt32 {
        let bits = x.bitPattern
        let negative = bits >> 63 != 0
        let u = bits & 0x7FFF_FFFF_FFFF_FFFF
        let code: UInt32
        if u >= minNormalBits {
            if u >= nearestOverflowBits {
                if u > 0x7FF0_0000_0000_0000 { return nanCode(negative: negative) }
                return infinityCode(negative: negative)
            }
            // Round the double's 52-bit mantissa to M bits, ties to even;
            // a carry moves into the exponent field, as it should.
            let shift = UInt64(52 - mantissaBits)
            let rounded = u &+ ((1 &<< (shift &- 1)) &- 1) &+ ((u &>> shift) & 1)
            code = UInt32(truncatingIfNeeded: Int64(bitPattern: rounded &>> shift) &- rebias)
        } else {
            // Subnormal result: scaling by a power of two is exact, and the
            // double's own rounding to an integer is ties-to-even.
            code = UInt32((Double(bitPattern: u) * subnormalScale).rounded(.toNearestOrEven))
            if code == 0 && negative && specials == .fnuz { return 0 }
        }
        return negative ? code | signMask : code
    }

    /// The general encoder: any rounding mode, any overflow rule.
    @usableFromInline
    func encodeExactly(_ x: Double, rounding: RoundingMode, overflow: OverflowRule, random: UInt64) -> UInt32 {
        let negative = x.sign == .minus
        if x.isNaN { return nanCode(negative: negative) }
        if specials == .fnu && (negative || x == 0) { return nanCode(negative: false) }
        if x.isInfinite {
            return overflow == .saturate ? signed(maxMagnitudeCode, negative: negative)
                                         : infinityCode(negative: negative)
        }
        var code = roundedMagnitudeCode(x.magnitude, rounding: rounding, negative: negative, random: random)
        if code > Int(maxMagnitudeCode) {
            if overflow == .ieee && rounding.overflowsToInfinity(negative: negative) {
                return infinityCode(negative: negative)
            }
            code = Int(maxMagnitudeCode)
        }
        return signed(UInt32(code), negative: negative)
    }

    /// The magnitude code `a` rounds to, without an upper bound: a result
    /// above `maxMagnitudeCode` means overflow.
    @usableFromInline
    func roundedMagnitudeCode(_ a: Double, rounding: RoundingMode, negative: Bool, random: UInt64) -> Int {
        if a == 0 { return 0 }
        let M = mantissaBits
        let scaled: Double      // a in units of the quantum (ulp) of its binade
        let offset: Int         // code of the value `scaled == 0` stands for
        if a < minNormal {
            if specials == .fnu { return 0 }  // nothing below 2^-bias: every mode gives it
            scaled = Double(sign: .plus, exponent: M - minNormalExponent, significand: a)
            offset = 0
        } else {
            let e = Int(a.exponent)
            scaled = Double(sign: .plus, exponent: M - e, significand: a)
            offset = ((e - minNormalExponent + minNormalField) << M) - (1 << M)
        }
        let lower = scaled.rounded(.down)
        let fraction = scaled - lower   // exact: both share scaled's binade
        var code = offset + Int(lower)
        if fraction != 0 {
            let position: MidpointPosition = fraction < 0.5 ? .belowMidpoint
                : fraction == 0.5 ? .atMidpoint : .aboveMidpoint
            // With no stored mantissa bit every significand is 1, so there is
            // no even neighbour; ties go away from zero (as in ml_dtypes).
            let lowerIsEven = M > 0 && Int(lower) & 1 == 0
            if rounding.roundsUp(position: position, fraction: fraction, lowerIsEven: lowerIsEven,
                                 upperIsAwayFromZero: true, upperIsTowardPositive: !negative,
                                 random: random) {
                code += 1
            }
        }
        return code
    }

    /// Applies the sign; `fnuz` has no negative zero.
    @inlinable
    func signed(_ magnitude: UInt32, negative: Bool) -> UInt32 {
        guard negative else { return magnitude }
        if magnitude == 0 && specials == .fnuz { return 0 }
        return magnitude | signMask
    }

    /// The canonical quiet NaN: the top mantissa bit set (ieee), all ones
    /// (fn, fnu), the negative-zero code (fnuz), or +0 where there is no NaN.
    @inlinable
    func nanCode(negative: Bool) -> UInt32 {
        let sign = negative ? signMask : 0
        switch specials {
        case .ieee:
            return sign | (((UInt32(1) << exponentBits) - 1) << mantissaBits) | (UInt32(1) << (mantissaBits - 1))
        case .fn: return sign | magnitudeMask
        case .fnu: return magnitudeMask
        case .fnuz: return signMask
        case .none: return 0
        }
    }

    /// What infinity becomes: ±∞ (ieee), NaN (fn, fnuz, fnu) or ±max (none).
    @inlinable
    func infinityCode(negative: Bool) -> UInt32 {
        switch specials {
        case .ieee:
            return (negative ? signMask : 0) | (((UInt32(1) << exponentBits) - 1) << mantissaBits)
        case .fn, .fnuz, .fnu: return nanCode(negative: negative)
        case .none: return signed(maxMagnitudeCode, negative: negative)
        }
    }

    /// The smallest magnitude (as double bits) that nearest-even rounds past
    /// the largest finite value, found by bisection over the exact encoder.
    func findNearestOverflowThreshold() -> UInt64 {
        var low = maxFinite.bitPattern          // does not overflow
        var high = Double.infinity.bitPattern   // does
        while high - low > 1 {
            let mid = low + (high - low) / 2
            let code = roundedMagnitudeCode(Double(bitPattern: mid), rounding: .nearestEven,
                                            negative: false, random: 0)
            if code > Int(maxMagnitudeCode) { high = mid } else { low = mid }
        }
        return high
    }
}
