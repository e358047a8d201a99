/// A scalar format of any family, as a value: what the catalog returns and
/// what block formats hold for their elements and scales.
///
/// An enum rather than an existential so that a switch, not a witness
/// table, picks the family in hot loops.
public enum AnyScalarFormat: ScalarFormat, Hashable {
    case minifloat(Minifloat)
    case integer(IntegerFormat)

    @inlinable
    public var base: any ScalarFormat {
        switch self {
        case .minifloat(let f): return f
        case .integer(let f): return f
        }
    }

    // Each property switches rather than going through `base`, which would
    // box the struct in an existential (a heap allocation) on every call.
    public var name: String {
        switch self { case .minifloat(let f): return f.name; case .integer(let f): return f.name }
    }
    public var bitWidth: Int {
        switch self { case .minifloat(let f): return f.bitWidth; case .integer(let f): return f.bitWidth }
    }
    public var maxFinite: Double {
        switch self { case .minifloat(let f): return f.maxFinite; case .integer(let f): return f.maxFinite }
    }
    public var minNormal: Double {
        switch self { case .minifloat(let f): return f.minNormal; case .integer(let f): return f.minNormal }
    }
    public var minPositive: Double {
        switch self { case .minifloat(let f): return f.minPositive; case .integer(let f): return f.minPositive }
    }
    public var epsilon: Double {
        switch self { case .minifloat(let f): return f.epsilon; case .integer(let f): return f.epsilon }
    }
    public var hasInfinity: Bool {
        switch self { case .minifloat(let f): return f.hasInfinity; case .integer(let f): return f.hasInfinity }
    }
    public var hasNaN: Bool {
        switch self { case .minifloat(let f): return f.hasNaN; case .integer(let f): return f.hasNaN }
    }
    public var isSigned: Bool {
        switch self { case .minifloat(let f): return f.isSigned; case .integer(let f): return f.isSigned }
    }

    @inlinable
    public func encode(_ x: Double, rounding: RoundingMode, overflow: OverflowRule, random: UInt64) -> UInt32 {
        switch self {
        case .minifloat(let f): return f.encode(x, rounding: rounding, overflow: overflow, random: random)
        case .integer(let f): return f.encode(x, rounding: rounding, overflow: overflow, random: random)
        }
    }

    @inlinable
    public func decode(_ code: UInt32) -> Double {
        switch self {
        case .minifloat(let f): return f.decode(code)
        case .integer(let f): return f.decode(code)
        }
    }

    /// The family, in words, for tables.
    public var familyName: String {
        switch self {
        case .minifloat(let f): return "float (\(f.specials.rawValue))"
        case .integer(let f):
            switch f.kind {
            case .twosComplement: return f.fractionBits == 0 ? "integer" : "fixed point"
            case .unsigned: return f.fractionBits == 0 ? "unsigned integer" : "unsigned fixed point"
            case .symmetric: return "symmetric integer"
            case .bipolar: return "bipolar-INT"
            }
        }
    }
}
