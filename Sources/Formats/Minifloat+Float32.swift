/// A branch-free float32 → minifloat encoder (round-to-nearest-even, IEEE
/// overflow) for bulk work: every step is a 32-bit integer or float
/// operation followed by selects, so the compiler can vectorise the loop.
///
/// Normal results round the float32 mantissa with the usual add-and-carry
/// trick; subnormal results add a constant D whose ulp is the format's
/// subnormal quantum, so the FPU's own ties-to-even rounding does the work
/// (the trick of Eigen's and ml_dtypes' half conversion). The encoder is
/// exact, and tests compare it with `Minifloat.encodeExactly` on every
/// float32 midpoint and on random bit patterns.
public struct Float32Encoder: Sendable, Hashable {
    @usableFromInline let minNormalBits: UInt32
    @usableFromInline let overflowBits: UInt32
    @usableFromInline let shift: UInt32
    @usableFromInline let roundingBias: UInt32
    @usableFromInline let roundingMask: UInt32
    @usableFromInline let rebias: UInt32
    @usableFromInline let magic: Float
    @usableFromInline let magicBits: UInt32
    @usableFromInline let overflowCode: UInt32
    @usableFromInline let nanCode: UInt32
    @usableFromInline let signMask: UInt32
    /// The sign bit a zero result gets: none for `fnuz`.
    @usableFromInline let zeroSignMask: UInt32
    /// The sign bit a NaN result gets: none where NaN is +0 (no NaN).
    @usableFromInline let nanSignMask: UInt32

    /// `nil` unless the format is signed, has a mantissa bit, and its normal
    /// range starts at or above float32's (2^−126).
    public init?(_ f: Minifloat) {
        guard f.hasFastPath, f.minNormalExponent >= -126 else { return nil }
        let M = UInt32(f.mantissaBits)
        minNormalBits = Float(f.minNormal).bitPattern
        // The smallest float32 at or above the double threshold.
        let threshold = Double(bitPattern: f.nearestOverflowBits)
        var t = Float(threshold)
        if Double(t) < threshold { t = t.nextUp }
        overflowBits = min(t.bitPattern, Float.infinity.bitPattern)
        shift = 23 - M
        roundingBias = shift > 0 ? (1 << (shift - 1)) - 1 : 0
        roundingMask = shift > 0 ? 1 : 0
        rebias = UInt32(bitPattern: Int32((127 - f.bias) << f.mantissaBits))
        magic = Float(sign: .plus, exponent: f.minNormalExponent - f.mantissaBits + 23, significand: 1)
        magicBits = magic.bitPattern
        overflowCode = f.infinityCode(negative: false)
        nanCode = f.nanCode(negative: false)
        signMask = f.signMask
        zeroSignMask = f.specials == .fnuz ? 0 : f.signMask
        nanSignMask = nanCode == 0 ? 0 : f.signMask
    }

    /// The code of `x`, identical to `Minifloat.encode(Double(x))`.
    @inlinable @inline(__always)
    public func encode(_ x: Float) -> UInt32 {
        let bits = x.bitPattern
        let u = bits & 0x7FFF_FFFF
        let normal = ((u &+ roundingBias &+ ((u &>> shift) & roundingMask)) &>> shift) &- rebias
        let subnormal = (Float(bitPattern: u) + magic).bitPattern &- magicBits
        var code = u < minNormalBits ? subnormal : normal
        code = u >= overflowBits ? overflowCode : code
        // All ones for a negative input: sign handling without branches,
        // which random signs would mispredict half of the time.
        let negative = UInt32(bitPattern: Int32(bitPattern: bits) &>> 31)
        code |= negative & (code == 0 ? zeroSignMask : signMask)
        return u > 0x7F80_0000 ? nanCode | (negative & nanSignMask) : code
    }

    /// Encodes `input` into `output`, which must be at least as long.
    @inlinable
    public func encode(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<UInt8>) {
        encodeLoop(input, into: output)
    }

    /// Encodes `input` into `output` (formats of up to 16 bits).
    @inlinable
    public func encode(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<UInt16>) {
        encodeLoop(input, into: output)
    }

    // Concrete entry points, so that the loop is always specialised: an
    // unspecialised generic loop pays a witness call per element (5× slower).
    @inlinable @inline(__always)
    func encodeLoop<Code: FixedWidthInteger>(_ input: UnsafeBufferPointer<Float>,
                                             into output: UnsafeMutableBufferPointer<Code>) {
        precondition(output.count >= input.count)
        guard let src = input.baseAddress, let dst = output.baseAddress else { return }
        // A local copy: the compiler cannot prove that stores through `dst`
        // leave an indirectly passed `self` alone, and would reload it.
        let encoder = self
        for i in 0..<input.count {
            dst[i] = Code(truncatingIfNeeded: encoder.encode(src[i]))
        }
    }
}

extension Minifloat {
    /// Encodes `input` with round-to-nearest-even and IEEE overflow into
    /// `output` (at least as long): branch-free on float32 where the format
    /// allows it (`Float32Encoder`), else through the exact encoder.
    @inlinable
    public func encode(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<UInt8>) {
        bulkEncode(input, into: output)
    }

    /// As `encode(_:into:)` for formats of up to 16 bits.
    @inlinable
    public func encode(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<UInt16>) {
        bulkEncode(input, into: output)
    }

    @inlinable @inline(__always)
    func bulkEncode<Code: FixedWidthInteger>(_ input: UnsafeBufferPointer<Float>,
                                             into output: UnsafeMutableBufferPointer<Code>) {
        if let encoder = Float32Encoder(self) { return encoder.encodeLoop(input, into: output) }
        precondition(output.count >= input.count)
        for i in input.indices { output[i] = Code(truncatingIfNeeded: encode(Double(input[i]))) }
    }

    /// Whether `encodeNearestEven` may be used (M ≥ 1, signed).
    public var supportsBitManipulationPath: Bool { hasFastPath }
}
