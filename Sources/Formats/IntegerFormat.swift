/// A uniform grid of values `step · k`: two's-complement, unsigned and
/// symmetric-range integers of 1…32 bits, bipolar-INT, binary, ternary, and
/// fixed point `fixed<W,F>` (a W-bit two's-complement integer times 2^−F).
///
/// | kind | codes | values (in steps) |
/// |---|---|---|
/// | `twosComplement` | two's complement | −2^(b−1) … 2^(b−1)−1 |
/// | `unsigned` | binary | 0 … 2^b−1 |
/// | `symmetric` | two's complement | −(2^(b−1)−1) … 2^(b−1)−1; the code 100…0 is never produced |
/// | `bipolar` | bit i set ⇒ +2^i, clear ⇒ −2^i (arXiv 2409.17870) | odd values −(2^b−1) … 2^b−1 |
///
/// Binary {−1,+1} is `bipolar` of 1 bit; ternary {−1,0,+1} is `symmetric` of 2 bits.
///
/// Encoding rounds exactly by the rounding mode; ties are broken toward the
/// even integer (or, for bipolar-INT, the even code). There is no infinity
/// or NaN, so both overflow rules saturate to the end of the range and ±∞
/// becomes the end of the range. NaN encodes as zero (bipolar-INT: as +1).
/// Bipolar-INT has no zero: `towardZero` keeps the sign of the input.
public struct IntegerFormat: ScalarFormat, Hashable {
    /// How codes map to integers.
    public enum Kind: String, Sendable, Hashable {
        case twosComplement, unsigned, symmetric, bipolar
    }

    public let name: String
    public let bitWidth: Int
    public let kind: Kind
    /// F: values are integers times 2^−F (0 for plain integers).
    public let fractionBits: Int

    /// Smallest and largest integer k (values are k · 2^−F; bipolar: odd k).
    @usableFromInline let minInteger: Int64
    @usableFromInline let maxInteger: Int64
    @usableFromInline let codeMask: UInt32

    /// - Throws: `FormatError.invalidParameters` for widths outside 1…32 or
    ///   fraction bits outside −64…64, or a 1-bit symmetric format.
    public init(name: String? = nil, bits: Int, kind: Kind, fractionBits: Int = 0) throws(FormatError) {
        guard (1...32).contains(bits) else {
            throw .invalidParameters("integer width must be 1…32 bits, got \(bits)")
        }
        guard (-64...64).contains(fractionBits) else {
            throw .invalidParameters("fraction bits must be -64…64, got \(fractionBits)")
        }
        if kind == .symmetric && bits < 2 {
            throw .invalidParameters("a symmetric integer needs at least 2 bits")
        }
        self.bitWidth = bits
        self.kind = kind
        self.fractionBits = fractionBits
        self.codeMask = bits == 32 ? .max : (UInt32(1) << bits) - 1
        let half = Int64(1) << (bits - 1)
        switch kind {
        case .twosComplement: (minInteger, maxInteger) = (-half, half - 1)
        case .unsigned: (minInteger, maxInteger) = (0, 2 * half - 1)
        case .symmetric: (minInteger, maxInteger) = (-(half - 1), half - 1)
        case .bipolar: (minInteger, maxInteger) = (-(2 * half - 1), 2 * half - 1)
        }
        self.name = name ?? IntegerFormat.defaultName(bits: bits, kind: kind, fractionBits: fractionBits)
    }

    static func defaultName(bits: Int, kind: Kind, fractionBits: Int) -> String {
        if fractionBits != 0 {
            return kind == .unsigned ? "ufixed<\(bits),\(fractionBits)>" : "fixed<\(bits),\(fractionBits)>"
        }
        switch kind {
        case .twosComplement: return "int\(bits)"
        case .unsigned: return "uint\(bits)"
        case .symmetric: return "int\(bits)_sym"
        case .bipolar: return "bipolar\(bits)"
        }
    }

    /// The value of one step, 2^−F.
    @inlinable public var step: Double { Double(sign: .plus, exponent: -fractionBits, significand: 1) }
    public var maxFinite: Double { Double(maxInteger) * step }
    public var minNormal: Double { minPositive }
    public var minPositive: Double { step }
    public var epsilon: Double { kind == .bipolar ? 2 * step : step }
    public var hasInfinity: Bool { false }
    public var hasNaN: Bool { false }
    public var isSigned: Bool { kind != .unsigned }

    /// The integer k a code stands for (values are k · 2^−F).
    @inlinable
    public func integer(of code: UInt32) -> Int64 {
        let c = Int64(code & codeMask)
        switch kind {
        case .unsigned: return c
        case .twosComplement, .symmetric:
            let signBit = Int64(1) << (bitWidth - 1)
            return c & signBit != 0 ? c - 2 * signBit : c
        case .bipolar: return 2 * c - maxInteger
        }
    }

    /// The code of integer k, which must be in range (and odd for bipolar-INT).
    @inlinable
    public func code(ofInteger k: Int64) -> UInt32 {
        switch kind {
        case .bipolar: return UInt32(truncatingIfNeeded: (k + maxInteger) / 2)
        default: return UInt32(truncatingIfNeeded: k) & codeMask
        }
    }

    @inlinable
    public func decode(_ code: UInt32) -> Double {
        Double(integer(of: code)) * step
    }

    public func encode(_ x: Double, rounding: RoundingMode, overflow: OverflowRule, random: UInt64) -> UInt32 {
        if x.isNaN { return code(ofInteger: kind == .bipolar ? 1 : 0) }
        let t = Double(sign: .plus, exponent: fractionBits, significand: x)  // exact: x in steps
        if t >= Double(maxInteger) { return code(ofInteger: maxInteger) }
        if t <= Double(minInteger) { return code(ofInteger: minInteger) }
        // Bracket t by adjacent grid integers lower < t < upper and compare
        // with their midpoint exactly (all are small integers in a double).
        let floor = t.rounded(.down)
        let lower: Double, upper: Double
        if kind == .bipolar {
            lower = Int64(floor) & 1 != 0 ? floor : floor - 1
            upper = lower + 2
        } else {
            lower = floor
            upper = floor + 1
        }
        if t == lower { return code(ofInteger: Int64(lower)) }
        let midpoint = (lower + upper) / 2
        let position: MidpointPosition = t < midpoint ? .belowMidpoint : t == midpoint ? .atMidpoint : .aboveMidpoint
        let lowerIsEven = kind == .bipolar ? code(ofInteger: Int64(lower)) & 1 == 0 : Int64(lower) & 1 == 0
        // Bipolar-INT straddles zero between -1 and +1, where neither is
        // nearer zero: `towardZero` keeps the input's sign, and a tie at
        // exactly 0 goes to +1 under `nearestAway`.
        let upperIsAway = lower >= 0 ? true : upper <= 0 ? false : t <= 0
        let up = rounding.roundsUp(position: position, fraction: (t - lower) / (upper - lower),
                                   lowerIsEven: lowerIsEven, upperIsAwayFromZero: upperIsAway,
                                   upperIsTowardPositive: true, random: random)
        return code(ofInteger: Int64(up ? upper : lower))
    }
}
