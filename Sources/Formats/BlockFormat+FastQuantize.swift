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
                divisor = Double(sign: .plus, exponent: min(max(roundUpExponent(amax), lowest), highest), significand: 1)
            case .absMax:
                let code = scale.encode(amax / (elementMax * ts), rounding: .nearestEven, overflow: .saturate, random: 0)
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
                let quantum = integerStep
                    ?? Double(sign: .plus, exponent: max(Int(y.exponent), minExponent) - mantissa, significand: 1)
                let q = y == 0 ? 0 : (y / quantum).rounded(.toNearestOrEven) * quantum
                // As `value`: element · block scale · tensor scale, in that order.
                out[i] = rule == .absMax ? q * blockScale * ts : q * divisor
            }
            start = end
        }
        return true
    }
}
