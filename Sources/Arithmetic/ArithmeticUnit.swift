import Foundation

/// A datapath building block, parameterised by the widths of the formats it
/// works on. `cells` says what it is built from (see `CellCounts`); the
/// structures are the textbook ones (Weste & Harris, *CMOS VLSI Design*
/// 4th ed., ch. 11; Muller et al., *Handbook of Floating-Point
/// Arithmetic*, ch. 7–8), and logic depths are FO4 estimates from the same.
public enum ArithmeticUnit: Sendable, Hashable, CustomStringConvertible {
    /// An n-bit carry-propagate adder (also a subtractor or comparator).
    case integerAdder(bits: Int)
    /// An n × m-bit array/tree multiplier with its final adder.
    case integerMultiplier(bits: Int, by: Int)
    /// A tree of adders summing `inputs` n-bit values, widening one bit a level.
    case adderTree(inputs: Int, bits: Int)
    /// A floating-point adder for ExMy: exponent difference, swap, alignment
    /// shift with guard/round/sticky, significand add, normalise, round.
    case floatAdder(exponentBits: Int, mantissaBits: Int)
    /// A floating-point multiplier for ExMy: significand product,
    /// exponent add and bias, one-bit normalise, round.
    case floatMultiplier(exponentBits: Int, mantissaBits: Int)
    /// A fused multiply-add: the multiplier plus an adder of the double-width product.
    case fusedMultiplyAdd(exponentBits: Int, mantissaBits: Int)
    /// L-Mul (Luo & Sun, arXiv 2410.00907): one (E+M)-bit integer addition of
    /// the operands' exponent-and-mantissa fields, the bias and the
    /// 2^−l(M) offset folded into it, and a sign XOR.
    case lmul(exponentBits: Int, mantissaBits: Int)
    /// `lanes` binary products (XNOR for {−1,+1}, AND for {0,1}) and the
    /// popcount tree that sums them (binary tensor-core mode).
    case binaryDotProduct(lanes: Int)
    /// Recombining p·q binary partial dot products of `partialBits` bits into
    /// a p-bit × q-bit result by shifts and adds (bipolar-INT, arXiv 2409.17870).
    case shiftAddRecombination(weightBits: Int, activationBits: Int, partialBits: Int)
    /// An n-bit integer accumulator: adder plus wrap/saturation logic.
    case integerAccumulator(bits: Int)
    /// A floating-point accumulator: a float adder in the accumulator's format.
    case floatAccumulator(exponentBits: Int, mantissaBits: Int)
    /// A comparator tree finding the largest magnitude of `inputs` values.
    case maxReduction(inputs: Int, bits: Int)
    /// E8M0 shared-exponent selection (OCP MX): ⌊log2 amax⌋ − emax, clamp.
    case sharedExponentScale(exponentBits: Int)
    /// Element rescale by a power of two: an exponent add per element.
    case powerOfTwoRescale(exponentBits: Int)
    /// A quantizer to ExMy (or to an n-bit integer when E = 0): rounding
    /// incrementer, exponent rebias and range clamp.
    case converter(exponentBits: Int, mantissaBits: Int)
    /// Integer-only requantization by a dyadic b/2^c (HAWQ-V3): an n × m
    /// multiply and a rounding shift.
    case dyadicRequantizer(bits: Int, multiplierBits: Int)

    public var description: String {
        switch self {
        case .integerAdder(let n): return "int\(n) adder"
        case .integerMultiplier(let n, let m): return "int\(n)×int\(m) multiplier"
        case .adderTree(let k, let n): return "\(k)-input \(n)-bit adder tree"
        case .floatAdder(let e, let m): return "e\(e)m\(m) adder"
        case .floatMultiplier(let e, let m): return "e\(e)m\(m) multiplier"
        case .fusedMultiplyAdd(let e, let m): return "e\(e)m\(m) FMA"
        case .lmul(let e, let m): return "e\(e)m\(m) L-Mul"
        case .binaryDotProduct(let k): return "\(k)-lane binary dot product"
        case .shiftAddRecombination(let p, let q, let w):
            return "\(p)×\(q)-bit shift-add recombination (\(w)-bit partials)"
        case .integerAccumulator(let n): return "int\(n) accumulator"
        case .floatAccumulator(let e, let m): return "e\(e)m\(m) accumulator"
        case .maxReduction(let k, let n): return "\(k)-input \(n)-bit max reduction"
        case .sharedExponentScale(let e): return "E8M0 scale from e\(e) amax"
        case .powerOfTwoRescale(let e): return "power-of-two rescale (e\(e))"
        case .converter(let e, let m): return e == 0 ? "int\(m) converter" : "e\(e)m\(m) converter"
        case .dyadicRequantizer(let n, let m): return "int\(n) dyadic requantizer (\(m)-bit b)"
        }
    }

    /// ⌈log2 x⌉ for x ≥ 1.
    static func ceilLog2(_ x: Int) -> Double { x <= 1 ? 0 : Double(Int.bitWidth - (x - 1).leadingZeroBitCount) }

    /// Depth of an n-bit prefix adder, FO4.
    static func adderDepth(_ n: Int) -> Double { 2 * ceilLog2(max(n, 2)) + 2 }

    /// The cells this unit is built from, and its logic depth.
    public var cells: CellCounts {
        switch self {
        case .integerAdder(let n):
            return CellCounts(adderBits: Double(n), depth: Self.adderDepth(n))
        case .integerMultiplier(let n, let m):
            // Wallace-tree depth: log_{3/2} of the rows, 2 FO4 per level.
            let levels = (log(Double(max(min(n, m), 2))) / log(1.5)).rounded(.up)
            return CellCounts(adderBits: Double(n + m), integerProductCells: Double(n * m),
                              depth: 2 * levels + Self.adderDepth(n + m))
        case .adderTree(let k, let n):
            var bits = 0.0, width = n, remaining = k, levels = 0.0
            while remaining > 1 {
                bits += Double(remaining / 2 * width)
                remaining = (remaining + 1) / 2
                width += 1
                levels += 1
            }
            return CellCounts(adderBits: bits, depth: levels * 2 + Self.adderDepth(width))
        case .floatAdder(let e, let m):
            let p = m + 1, w = p + 3
            return CellCounts(adderBits: Double(2 * e + w + p),
                              muxBits: Double(2 * p) + 2 * Double(w) * Self.ceilLog2(w),
                              depth: Self.adderDepth(e) + 2 * Self.ceilLog2(w) + Self.adderDepth(w)
                                  + Self.adderDepth(p))
        case .floatMultiplier(let e, let m):
            let p = m + 1
            let levels = (log(Double(max(p, 2))) / log(1.5)).rounded(.up)
            return CellCounts(adderBits: Double(2 * p + 2 * e), floatProductCells: Double(p * p), muxBits: Double(p),
                              depth: 2 * levels + Self.adderDepth(2 * p) + 1 + Self.adderDepth(p))
        case .fusedMultiplyAdd(let e, let m):
            return ArithmeticUnit.floatMultiplier(exponentBits: e, mantissaBits: m).cells
                .followed(by: ArithmeticUnit.floatAdder(exponentBits: e + 1, mantissaBits: 2 * m + 1).cells)
        case .lmul(let e, let m):
            // One (E+M)-bit add of the fields, and E bits to remove the bias.
            return CellCounts(adderBits: Double(e + m + e), muxBits: 1, depth: Self.adderDepth(e + m))
        case .binaryDotProduct(let k):
            // k XNOR/AND bits; a popcount of k bits needs about k full adders.
            let tree = ArithmeticUnit.adderTree(inputs: max(k, 2), bits: 1).cells
            return CellCounts(adderBits: tree.adderBits, muxBits: Double(k), depth: 1 + tree.depth)
        case .shiftAddRecombination(let p, let q, let w):
            // p·q partials, each shifted (wiring) and added into a p+q+w-bit sum.
            return CellCounts(adderBits: Double(p * q) * Double(w + p + q),
                              depth: Self.adderDepth(w + p + q) * Self.ceilLog2(p * q))
        case .integerAccumulator(let n):
            return CellCounts(adderBits: Double(n), muxBits: Double(n), depth: Self.adderDepth(n) + 1)
        case .floatAccumulator(let e, let m):
            return ArithmeticUnit.floatAdder(exponentBits: e, mantissaBits: m).cells
        case .maxReduction(let k, let n):
            return CellCounts(adderBits: Double((k - 1) * n), muxBits: Double((k - 1) * n),
                              depth: Self.ceilLog2(k) * (Self.adderDepth(n) + 1))
        case .sharedExponentScale(let e):
            return CellCounts(adderBits: Double(8 + e), depth: Self.adderDepth(8))
        case .powerOfTwoRescale(let e):
            return CellCounts(adderBits: Double(e), depth: Self.adderDepth(e))
        case .converter(let e, let m):
            return CellCounts(adderBits: Double(m + 1 + e + e + m), muxBits: Double(e + m),
                              depth: Self.adderDepth(m + 1) + Self.adderDepth(e + m))
        case .dyadicRequantizer(let n, let b):
            return ArithmeticUnit.integerMultiplier(bits: n, by: b).cells
                .followed(by: CellCounts(adderBits: Double(n), depth: Self.adderDepth(n)))
        }
    }
}
