extension BlockFormat {
    /// What `values` (finite, a whole number of blocks from a block
    /// boundary) become in the format, written to `out`; false when the
    /// format has no fast path (unsigned or bipolar elements, E8M0-like
    /// element formats), and nothing is written.
    ///
    /// The same result as `encodeBlock` + `value(code:scaleCode:tensorScale:)`
    /// with round-to-nearest-even, bit for bit (a test checks it), without
    /// the codes: an element is clamped to ±max and rounded on its grid as
    /// (y / q).rounded() · q, with q the quantum of y's binade (or of the
    /// subnormal range, or the integer step).
    public func quantizeFast(_ values: UnsafeBufferPointer<Double>, tensorScale ts: Double,
                             into out: UnsafeMutableBufferPointer<Double>) -> Bool {
        let minExponent: Int, mantissa: Int, integerStep: Double?
        switch element {
        case .minifloat(let f):
            guard f.isSigned, f.mantissaBits >= 1 else { return false }
            (minExponent, mantissa, integerStep) = (f.minNormalExponent, f.mantissaBits, nil)
        case .integer(let i):
            guard i.kind == .twosComplement || i.kind == .symmetric else { return false }
            (minExponent, mantissa, integerStep) = (0, 0, i.step)
        }
        let lowest = scaleExponentRange.lowerBound, highest = scaleExponentRange.upperBound
        let limit = elementMax
        var start = 0
        while start < values.count {
            let end = min(start + blockSize, values.count)
            var amax = 0.0
            for i in start..<end { amax = max(amax, values[i].magnitude) }
            var divisor: Double, blockScale = 1.0, nan = false
            switch rule {
            case .sharedExponent:
                let shared = amax == 0 ? lowest : Int(amax.exponent) - elementMaxExponent
                nan = shared > highest
                divisor = Double(sign: .plus, exponent: max(shared, lowest), significand: 1)
            case .sharedExponentRoundUp:
                divisor = Double(sign: .plus, exponent: min(max(roundUpExponent(amax), lowest), highest),
                                 significand: 1)
            case .absMax:
                let code = scale.encode(amax / (elementMax * ts), rounding: .nearestEven, overflow: .saturate,
                                        random: 0)
                blockScale = scale.decode(code)
                divisor = blockScale * ts
            }
            if nan {
                for i in start..<end { out[i] = .nan }
                start = end
                continue
            }
            for i in start..<end {
                let x = divisor == 0 ? 0 : values[i] / divisor
                let y = min(max(x, -limit), limit)
                let q = gridRound(y, minExponent: minExponent, mantissa: mantissa, step: integerStep)
                // As `value`: element · block scale · tensor scale, in that order.
                out[i] = rule == .absMax ? q * blockScale * ts : q * divisor
            }
            start = end
        }
        return true
    }
}

/// y rounded to nearest even on a grid: the integer `step`, or the quantum
/// 2^(max(e, minExponent) − mantissa) of y's binade e. The quantum and its
/// inverse are powers of two built from bits (|y| ≤ a format's max, so
/// the exponents stay in the double's normal range), so y · (1/q) is exact.
@inline(__always)
func gridRound(_ y: Double, minExponent: Int, mantissa: Int, step: Double?) -> Double {
    if let step { return (y / step).rounded(.toNearestOrEven) * step }
    let e = max(Int((y.bitPattern >> 52) & 0x7FF) - 1023, minExponent) - mantissa
    let quantum = Double(bitPattern: UInt64(e + 1023) << 52), inverse = Double(bitPattern: UInt64(1023 - e) << 52)
    return (y * inverse).rounded(.toNearestOrEven) * quantum
}

extension AnyScalarFormat {
    /// Round-to-nearest-even on the format's grid, saturating at ±max, for
    /// signed minifloats (M ≥ 1) and two's-complement or symmetric integers
    /// (nil otherwise): `quantize` for values within ±max·(1 + 2^−52), which
    /// is all a per-tensor absmax scale produces.
    public var nearestEvenGrid: ((Double) -> Double)? {
        let limit = maxFinite
        switch self {
        case .minifloat(let f):
            guard f.isSigned, f.mantissaBits >= 1 else { return nil }
            let minExponent = f.minNormalExponent, m = f.mantissaBits
            return { x in gridRound(min(max(x, -limit), limit), minExponent: minExponent, mantissa: m, step: nil) }
        case .integer(let i):
            guard i.kind == .twosComplement || i.kind == .symmetric else { return nil }
            let step = i.step
            return { x in gridRound(min(max(x, -limit), limit), minExponent: 0, mantissa: 0, step: step) }
        }
    }
}
