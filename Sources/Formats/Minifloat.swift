/// An IEEE-like binary floating-point format with E exponent bits, M stored
/// mantissa bits, a bias and a special-value convention: fp32, bf16, fp16,
/// the OCP FP8/FP6/FP4 element formats, the fnuz variants and the E8M0 scale.
///
/// Layout, most significant bit first: sign (absent for `fnu`), exponent,
/// mantissa. A code with exponent field `e` and mantissa `m` stands for
/// `(1 + m/2^M) · 2^(e − bias)` when `e > 0` (normal), and for
/// `(m/2^M) · 2^(1 − bias)` when `e = 0` (subnormal, gradual underflow).
/// The unsigned `fnu` convention (E8M0) has no subnormals: `e = 0` is the
/// normal value `2^(−bias)`.
///
/// Encoding (see `encode(_:rounding:overflow:random:)`):
/// - rounding is exact: the input is bracketed by its two representable
///   neighbours and the midpoint compared exactly, so ties, values one ulp
///   either side of a tie, subnormals and ±max behave as IEEE 754 says;
/// - values below the smallest subnormal round to zero or to it by the
///   rounding mode (`1e-30` rounded `up` gives the smallest subnormal);
/// - a negative value that rounds to zero keeps its sign where the format has
///   a negative zero (`fnuz` has none and gives +0);
/// - overflow follows `OverflowRule`; NaN inputs give the format's canonical
///   quiet NaN with the input's sign (`fnuz`: 0x80), or +0 where the format
///   has no NaN (ml_dtypes gives a zero of the opposite sign there);
/// - `fnu` (E8M0) has no zero and no sign: zero and negative inputs give NaN,
///   values below 2^−bias give 2^−bias, as in ml_dtypes.
public struct Minifloat: ScalarFormat, Hashable {
    public let name: String
    /// E, the exponent field's width: 1…8.
    public let exponentBits: Int
    /// M, the stored mantissa's width: 0…23.
    public let mantissaBits: Int
    /// The exponent bias.
    public let bias: Int
    /// Which codes are infinities and NaNs.
    public let specials: SpecialValues

    @usableFromInline let signMask: UInt32
    @usableFromInline let magnitudeMask: UInt32
    @usableFromInline let maxMagnitudeCode: UInt32
    /// The exponent of the smallest normal value.
    @usableFromInline let minNormalExponent: Int
    /// Double bits of the smallest normal value.
    @usableFromInline let minNormalBits: UInt64
    /// Double bits of the smallest magnitude that nearest-even sends past max.
    @usableFromInline private(set) var nearestOverflowBits: UInt64
    /// (1023 − bias) << M as an offset on double exponent-and-mantissa bits.
    @usableFromInline let rebias: Int64
    /// 2^(M − minNormalExponent): magnitudes times this are subnormal codes.
    @usableFromInline let subnormalScale: Double
    @usableFromInline let hasFastPath: Bool

    /// Creates an ExMy format.
    ///
    /// - Parameters:
    ///   - name: the canonical name; by default `eXmY` plus the convention's
    ///     suffix (and `bN` when the bias is not the convention's default).
    ///   - bias: by default 2^(E−1) − 1, or 2^(E−1) for `fnuz`.
    /// - Throws: `FormatError.invalidParameters` when E is outside 1…8, M
    ///   outside 0…23, `ieee` has no mantissa bit for NaN, or the bias puts
    ///   values outside the range of a `Double`.
    public init(name: String? = nil, exponentBits: Int, mantissaBits: Int,
                bias: Int? = nil, specials: SpecialValues = .ieee) throws(FormatError) {
        guard (1...8).contains(exponentBits) else {
            throw .invalidParameters("exponent bits must be 1…8, got \(exponentBits)")
        }
        guard (0...23).contains(mantissaBits) else {
            throw .invalidParameters("mantissa bits must be 0…23, got \(mantissaBits)")
        }
        if specials == .ieee && mantissaBits == 0 {
            throw .invalidParameters("an ieee format needs a mantissa bit to encode NaN; use 'fn', 'fnuz' or 'none'")
        }
        let defaultBias = specials == .fnuz ? 1 << (exponentBits - 1) : (1 << (exponentBits - 1)) - 1
        let bias = bias ?? defaultBias
        let minNormalExponent = specials == .fnu ? -bias : 1 - bias
        let maxExponent = (1 << exponentBits) - 1 - bias
        guard minNormalExponent - mantissaBits >= -1074, maxExponent <= 1022 else {
            throw .invalidParameters("bias \(bias) puts e\(exponentBits)m\(mantissaBits) outside the range of a double")
        }
        let E = exponentBits, M = mantissaBits
        self.exponentBits = E
        self.mantissaBits = M
        self.bias = bias
        self.specials = specials
        self.name = name ?? "e\(E)m\(M)\(specials.nameSuffix)" + (bias == defaultBias ? "" : "b\(bias)")
        self.signMask = specials == .fnu ? 0 : UInt32(1) << (E + M)
        self.magnitudeMask = (UInt32(1) << (E + M)) - 1
        switch specials {
        case .ieee: maxMagnitudeCode = (((UInt32(1) << E) - 2) << M) | ((UInt32(1) << M) - 1)
        case .fn, .fnu: maxMagnitudeCode = (UInt32(1) << (E + M)) - 2
        case .fnuz, .none: maxMagnitudeCode = (UInt32(1) << (E + M)) - 1
        }
        self.minNormalExponent = minNormalExponent
        self.minNormalBits = Double(sign: .plus, exponent: minNormalExponent, significand: 1).bitPattern
        self.rebias = Int64(1023 - bias) << M
        self.subnormalScale = Double(sign: .plus, exponent: M - minNormalExponent, significand: 1)
        self.hasFastPath = M >= 1 && specials != .fnu
        self.nearestOverflowBits = 0
        self.nearestOverflowBits = findNearestOverflowThreshold()
    }

    public var bitWidth: Int { exponentBits + mantissaBits + (specials == .fnu ? 0 : 1) }
    public var hasInfinity: Bool { specials == .ieee }
    public var hasNaN: Bool { specials != .none }
    public var isSigned: Bool { specials != .fnu }
    public var maxFinite: Double { magnitudeValue(maxMagnitudeCode) }
    public var minNormal: Double { Double(bitPattern: minNormalBits) }
    public var minPositive: Double {
        specials == .fnu || mantissaBits == 0 ? minNormal : magnitudeValue(1)
    }
    public var epsilon: Double { Double(sign: .plus, exponent: -mantissaBits, significand: 1) }

    /// The exponent field of the normal with the smallest exponent.
    @usableFromInline var minNormalField: Int { specials == .fnu ? 0 : 1 }

    /// The value of a magnitude code (no sign bit, not a special).
    @inlinable
    func magnitudeValue(_ code: UInt32) -> Double {
        let M = mantissaBits
        let field = Int(code >> M)
        let m = Double(code & ((UInt32(1) << M) - 1))
        if field == 0 && specials != .fnu {
            return Double(sign: .plus, exponent: minNormalExponent - M, significand: m)
        }
        let significand = Double(UInt32(1) << M) + m
        return Double(sign: .plus, exponent: field - minNormalField + minNormalExponent - M,
                      significand: significand)
    }
}
