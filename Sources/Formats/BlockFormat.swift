/// A block-scaled format: blocks of `blockSize` elements share one scale,
/// optionally under a per-tensor scale. The value of an element is
/// `element · blockScale · tensorScale`.
///
/// - OCP MX v1.0 (mxfp8/6/4, mxint8): E8M0 scale per 32 elements chosen by
///   `ScaleRule.sharedExponent` (spec §6.3).
/// - NVFP4: E2M1 elements, an E4M3 scale per 16, an FP32 tensor scale
///   amax/(6·448), scales chosen by `ScaleRule.absMax` (NVIDIA's recipe).
/// - Group-wise INT (`int4_g128`): INT elements, an FP16 absmax scale per group.
///
/// Edge cases: elements always saturate (the MX spec clamps normals to
/// ±max); a block holding NaN or ±∞ gets a NaN scale (every value of the
/// block decodes to NaN); an all-zero block gets the smallest scale and
/// zero elements; a partial last block is quantized as a shorter block.
public struct BlockFormat: Sendable, Hashable, CustomStringConvertible {
    /// How a block's scale is chosen from its elements.
    public enum ScaleRule: String, Sendable, Hashable {
        /// X = 2^(⌊log2 amax⌋ − emax_elem), clamped to the scale format's
        /// exponent range; NaN when above it (OCP MX v1.0 §6.3).
        case sharedExponent
        /// X = 2^clip(⌈log2(amax / element max)⌉, scale range): the scale is
        /// rounded up, so no element is clipped (Chen et al., arXiv 2510.25602
        /// §3, `e8_scale_op = ceil` in their code). Above the scale range it
        /// clamps (the elements then saturate) instead of giving NaN.
        case sharedExponentRoundUp
        /// s = amax / (element max · tensor scale), rounded to nearest even
        /// in the scale format with saturation; elements are x / s.
        case absMax
    }

    public let name: String
    public let element: AnyScalarFormat
    public let scale: AnyScalarFormat
    public let blockSize: Int
    public let rule: ScaleRule
    /// An FP32 scale over the whole tensor, amax / (element max · scale max).
    public let hasTensorScale: Bool

    /// ⌊log2⌋ of the element format's largest value: the `emax_elem` of the MX spec.
    public let elementMaxExponent: Int
    @usableFromInline let elementMax: Double
    /// ⌊log2⌋ of the scale format's smallest and largest values.
    @usableFromInline let scaleExponentRange: ClosedRange<Int>

    public init(name: String, element: AnyScalarFormat, scale: AnyScalarFormat, blockSize: Int,
                rule: ScaleRule, hasTensorScale: Bool = false) throws(FormatError) {
        guard blockSize >= 1 && blockSize <= 1 << 20 else {
            throw .invalidParameters("block size must be 1…1048576, got \(blockSize)")
        }
        self.name = name
        self.element = element
        self.scale = scale
        self.blockSize = blockSize
        self.rule = rule
        self.hasTensorScale = hasTensorScale
        self.elementMax = element.maxFinite
        self.elementMaxExponent = Int(element.maxFinite.exponent)
        self.scaleExponentRange = Int(scale.minPositive.exponent)...Int(scale.maxFinite.exponent)
    }

    public var description: String { name }

    /// Bits per element with the scale amortised over its block (the tensor
    /// scale amortises to nothing): mxfp4 = 4.25, nvfp4 = 4.5.
    public var bitsPerElement: Double {
        Double(element.bitWidth) + Double(scale.bitWidth) / Double(blockSize)
    }

    /// The per-tensor scale for `values`: amax / (element max · scale max)
    /// rounded to FP32, or 1 when the format has none or amax is 0 or not finite.
    public func tensorScale(for values: some Sequence<Double>) -> Double {
        guard hasTensorScale else { return 1 }
        var amax = 0.0
        for v in values where v.isFinite { amax = max(amax, v.magnitude) }
        guard amax > 0 else { return 1 }
        let s = Double(Float(amax / (element.maxFinite * scale.maxFinite)))
        return s > 0 ? s : 1
    }

    /// Quantizes one block into `codes` (same length) and returns the scale code.
    ///
    /// - Parameters:
    ///   - tensorScale: from `tensorScale(for:)` over the whole tensor.
    ///   - rounding: for the elements; scales always round as their rule says.
    ///   - random: draws one word per element for stochastic rounding.
    public func encodeBlock(_ values: UnsafeBufferPointer<Double>, tensorScale: Double,
                            rounding: RoundingMode, random: inout SplitMix64,
                            into codes: UnsafeMutableBufferPointer<UInt32>) -> UInt32 {
        var amax = 0.0
        var special = false
        for v in values {
            if !v.isFinite { special = true }
            amax = max(amax, v.magnitude)
        }
        if special {
            let nanScale = scale.encode(.nan)
            let elementCode = element.encode(.nan)
            for i in codes.indices { codes[i] = elementCode }
            return nanScale
        }
        let scaleCode: UInt32
        let divisor: Double
        switch rule {
        case .sharedExponent:
            let lowest = scaleExponentRange.lowerBound, highest = scaleExponentRange.upperBound
            var shared = amax == 0 ? lowest : Int(amax.exponent) - elementMaxExponent
            if shared > highest {
                for i in codes.indices { codes[i] = element.encode(.nan) }
                return scale.encode(.nan)
            }
            shared = max(shared, lowest)
            divisor = Double(sign: .plus, exponent: shared, significand: 1)
            scaleCode = scale.encode(divisor)
        case .sharedExponentRoundUp:
            let t = min(max(roundUpExponent(amax), scaleExponentRange.lowerBound), scaleExponentRange.upperBound)
            divisor = Double(sign: .plus, exponent: t, significand: 1)
            scaleCode = scale.encode(divisor)
        case .absMax:
            scaleCode = scale.encode(amax / (elementMax * tensorScale),
                                     rounding: .nearestEven, overflow: .saturate, random: 0)
            divisor = scale.decode(scaleCode) * tensorScale
        }
        for i in values.indices {
            let x = divisor == 0 ? 0 : values[i] / divisor
            if rounding == .nearestEven {
                // Clamping a finite value to ±max first is saturation, and
                // lets the default (fast) path do the rounding.
                codes[i] = element.encode(min(max(x, -elementMax), elementMax))
            } else {
                let r = rounding == .stochastic ? random.next() : 0
                codes[i] = element.encode(x, rounding: rounding, overflow: .saturate, random: r)
            }
        }
        return scaleCode
    }

    /// The smallest t with amax ≤ element max · 2^t, exactly (multiplying by
    /// a power of two is exact); the lowest scale exponent for amax = 0.
    @usableFromInline
    func roundUpExponent(_ amax: Double) -> Int {
        guard amax > 0 else { return scaleExponentRange.lowerBound }
        var t = Int((amax / elementMax).exponent) + 1
        while t > -1100, elementMax * Double(sign: .plus, exponent: t - 1, significand: 1) >= amax { t -= 1 }
        while elementMax * Double(sign: .plus, exponent: t, significand: 1) < amax { t += 1 }
        return t
    }

    /// The value of an element code under its block's scale and the tensor scale.
    @inlinable
    public func value(code: UInt32, scaleCode: UInt32, tensorScale: Double) -> Double {
        element.decode(code) * scale.decode(scaleCode) * tensorScale
    }

    /// One quantized tensor: a tensor scale and, per block, a scale code and element codes.
    public struct Encoding: Sendable, Hashable {
        public var tensorScale: Double
        public var scaleCodes: [UInt32]
        public var elementCodes: [UInt32]
    }

    /// Quantizes a whole tensor (in order, `blockSize` elements per block).
    public func encode(_ values: [Double], rounding: RoundingMode = .nearestEven,
                       seed: UInt64 = 0) -> Encoding {
        let ts = tensorScale(for: values)
        var rng = SplitMix64(seed: seed)
        var codes = [UInt32](repeating: 0, count: values.count)
        var scales: [UInt32] = []
        scales.reserveCapacity((values.count + blockSize - 1) / blockSize)
        values.withUnsafeBufferPointer { input in
            codes.withUnsafeMutableBufferPointer { output in
                var start = 0
                while start < input.count {
                    let end = min(start + blockSize, input.count)
                    let block = UnsafeBufferPointer(rebasing: input[start..<end])
                    let out = UnsafeMutableBufferPointer(rebasing: output[start..<end])
                    scales.append(encodeBlock(block, tensorScale: ts, rounding: rounding,
                                              random: &rng, into: out))
                    start = end
                }
            }
        }
        return Encoding(tensorScale: ts, scaleCodes: scales, elementCodes: codes)
    }

    /// The values an encoding stands for.
    public func decode(_ encoding: Encoding) -> [Double] {
        encoding.elementCodes.indices.map { i in
            value(code: encoding.elementCodes[i], scaleCode: encoding.scaleCodes[i / blockSize],
                  tensorScale: encoding.tensorScale)
        }
    }

    /// What `values` become after quantization and dequantization.
    public func quantize(_ values: [Double], rounding: RoundingMode = .nearestEven, seed: UInt64 = 0) -> [Double] {
        decode(encode(values, rounding: rounding, seed: seed))
    }
}
