import Formats

extension Reproductions {
    /// Operands for `lmulReading`: N(0, 1) samples, or significands evenly
    /// (uniformly) distributed in [1, 2), the operands of L-Mul's theoretical
    /// error expectation (OpenReview's ICLR 2025 reviews of arXiv 2410.00907
    /// quote its "evenly distributed" operands; the paper's §3.2 text is not
    /// among the stored copies, so its exact definition is not known here).
    public enum LMulOperands: Sendable { case normal, uniformSignificand }

    /// Mean relative error of one multiplication under a reading of L-Mul's
    /// precision claims: operands drawn per `operands`, rounded to
    /// `operandFormat` by `rounding` (nearest even, or toward zero: the
    /// format keeping the top bits of a longer mantissa and dropping the
    /// rest), multiplied by `multiplier`, against the exact product of the
    /// unrounded operands. A sensitivity of the claims to the reading, not a
    /// reproduction under the paper's own definition.
    public static func lmulReading(_ multiplier: Multiplier, operandFormat: AnyScalarFormat,
                                   operands: LMulOperands, rounding: RoundingMode,
                                   samples: Int = 200_000, seed: UInt64 = 0) -> Double {
        var x: [Double], y: [Double]
        switch operands {
        case .normal:
            x = Distribution.normal.samples(samples, seed: seed)
            y = Distribution.normal.samples(samples, seed: seed &+ 1)
        case .uniformSignificand:
            var g = SplitMix64(seed: seed), h = SplitMix64(seed: seed &+ 1)
            x = (0..<samples).map { _ in 1 + Double(g.next() >> 11) * 0x1p-53 }
            y = (0..<samples).map { _ in 1 + Double(h.next() >> 11) * 0x1p-53 }
        }
        var sum = 0.0, count = 0
        for i in 0..<samples where x[i] != 0 && y[i] != 0 {
            let a = operandFormat.quantize(x[i], rounding: rounding)
            let b = operandFormat.quantize(y[i], rounding: rounding)
            guard a != 0, b != 0 else { continue }
            let exact = x[i] * y[i]
            sum += abs(multiplier.multiply(a, b) - exact) / abs(exact)
            count += 1
        }
        return count == 0 ? 0 : sum / Double(count)
    }
}

extension Reproductions {
    /// L-Mul's mean relative error over every pair of non-negative finite
    /// values of an FP8 format, the way Chen, Lyu, Bao & da Silva evaluate
    /// their FPGA L-Mul (arXiv 2412.18948, §IV-A Eq. 10, Table IV): MRE =
    /// (1/2^N)·Σ |L-Mul(x, y) − x·y| / (x·y) over all operand pairs, a pair
    /// with a zero operand counted with no error (its product is 0 exactly).
    /// The operands are the format's values themselves (no rounding first),
    /// subnormals at their value. Table IV: E4M3 0.068, E5M2 0.111.
    public static func lmulExhaustiveMRE(_ multiplier: Multiplier, format: AnyScalarFormat) -> Double {
        let magnitudes = (0..<(UInt32(1) << UInt32(format.bitWidth - 1))).map { format.decode($0) }
            .filter { $0.isFinite }
        var sum = 0.0
        for a in magnitudes {
            for b in magnitudes where a != 0 && b != 0 {
                sum += abs(multiplier.multiply(a, b) - a * b) / (a * b)
            }
        }
        return sum / Double(magnitudes.count * magnitudes.count)
    }
}
