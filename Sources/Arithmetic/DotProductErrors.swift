import Formats

/// What a device computes for a K-long dot product: its multiplier, its
/// accumulator (FP of a format, aligned truncation to kept bits, or an
/// integer of W bits that wraps or saturates) and an optional promotion of
/// the partial sum to FP32 every N products.
public struct DeviceArithmetic: Sendable, Hashable {
    public var multiplier: Multiplier
    public var accumulator: Accumulator
    public var promotionInterval: Int?

    public init(multiplier: Multiplier = .exact(resultFormat: nil), accumulator: Accumulator,
                promotionInterval: Int? = nil) {
        self.multiplier = multiplier
        self.accumulator = accumulator
        self.promotionInterval = promotionInterval
    }
}

/// The error of dot products on a device, split by where it arises. Each
/// part has its own reference, so the parts do not swamp each other:
/// - `inputQuantization`: the exact dot product of the quantised operands
///   against that of the data;
/// - `multiplication`: the exact sum of the device's products against the
///   exact dot product of the quantised operands;
/// - `accumulation`: the device's accumulator against the exact sum of the
///   device's products (DeepSeek-V3's setup, arXiv 2412.19437 §3.3.2);
/// - `output`: the device's result against the data's dot product (all of it).
public struct DotProductErrors: Sendable {
    public var weight: ErrorMetrics
    public var input: ErrorMetrics
    public var inputQuantization: ErrorMetrics
    public var multiplication: ErrorMetrics
    public var accumulation: ErrorMetrics
    public var output: ErrorMetrics
    /// The fraction of dot products whose accumulator overflowed (wrapped,
    /// saturated or went non-finite).
    public var overflowProbability: Double
    public var dotProducts: Int
    public var length: Int
}

/// Why a device's dot products cannot be emulated.
public struct DotProductSetupError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension DotProductErrors {
    /// Measures `count` dot products of length `length`: row r of `weights`
    /// against row r of `inputs` (both `count · length` long, row-major),
    /// each tensor quantised whole in its format (scalar formats under a
    /// per-tensor absmax scale, block formats under their own scales along K).
    ///
    /// An integer accumulator sums the integer codes of scalar integer
    /// formats (value = code · step · scale), so the products it adds are
    /// integers; it needs both formats scalar integers.
    public static func measure(weights: [Double], inputs: [Double], length: Int,
                               weightFormat: NumberFormat, inputFormat: NumberFormat,
                               device: DeviceArithmetic) throws(DotProductSetupError) -> DotProductErrors {
        guard length >= 1, weights.count == inputs.count, weights.count >= length else {
            throw DotProductSetupError(description: "need at least one dot product of length \(length)")
        }
        let count = weights.count / length
        let w = Quantised(weights, weightFormat), x = Quantised(inputs, inputFormat)
        var integer = false
        if case .integer = device.accumulator {
            guard w.unit != nil, x.unit != nil else {
                throw DotProductSetupError(description:
                    "an integer accumulator sums integer codes: both formats must be scalar integers "
                        + "(per-tensor scale), not \(weightFormat.name) × \(inputFormat.name)")
            }
            integer = true
        }
        if case .lmul = device.multiplier, w.isInteger || x.isInteger {
            throw DotProductSetupError(description:
                "L-Mul multiplies floating-point operands, not \(weightFormat.name) × \(inputFormat.name)")
        }
        if case .lmulEquation = device.multiplier, w.isInteger || x.isInteger {
            throw DotProductSetupError(description:
                "L-Mul multiplies floating-point operands, not \(weightFormat.name) × \(inputFormat.name)")
        }
        var emulator = DotProductEmulator(multiplier: device.multiplier, accumulator: device.accumulator,
                                          promotionInterval: device.promotionInterval)
        // A tensor core aligns the FP8 codes themselves and applies the tensor
        // scales afterwards, so aligned accumulation runs on the codes (the
        // alignment is not invariant under a scale that is not a power of two).
        var codes = false
        if case .alignedTruncating = device.accumulator, let cw = w.codeScale, let cx = x.codeScale {
            codes = true
            emulator.operandMinExponent = min(cw.minExponent, cx.minExponent)
        }
        let unit = integer ? w.unit! * x.unit! : codes ? w.codeScale!.scale * x.codeScale!.scale : 1
        var truth = [Double](), quantisedExact = [Double](), productsExact = [Double](), computed = [Double]()
        truth.reserveCapacity(count)
        var overflows = 0
        var a = [Double](repeating: 0, count: length), b = a
        for r in 0..<count {
            let base = r * length
            var t = ExactSum(), q = ExactSum(), p = ExactSum()
            for i in 0..<length {
                t.addProduct(weights[base + i], inputs[base + i])
                q.addProduct(w.values[base + i], x.values[base + i])
                p.add(device.multiplier.multiply(w.values[base + i], x.values[base + i]))
                a[i] = integer ? (w.values[base + i] / w.unit!).rounded()
                    : codes ? w.codes[base + i] : w.values[base + i]
                b[i] = integer ? (x.values[base + i] / x.unit!).rounded()
                    : codes ? x.codes[base + i] : x.values[base + i]
            }
            let result = emulator.dot(a, b)
            if result.overflowed { overflows += 1 }
            truth.append(t.value)
            quantisedExact.append(q.value)
            productsExact.append(p.value)
            computed.append(result.value * unit)
        }
        return DotProductErrors(
            weight: ErrorMetrics(reference: weights, approximate: w.values),
            input: ErrorMetrics(reference: inputs, approximate: x.values),
            inputQuantization: ErrorMetrics(reference: truth, approximate: quantisedExact),
            multiplication: ErrorMetrics(reference: quantisedExact, approximate: productsExact),
            accumulation: ErrorMetrics(reference: productsExact, approximate: computed, extraOverflows: overflows),
            output: ErrorMetrics(reference: truth, approximate: computed, extraOverflows: overflows),
            overflowProbability: Double(overflows) / Double(count), dotProducts: count, length: length)
    }

    /// The same on seeded data: weights from `seed`, inputs from `seed + 1`,
    /// `count` dot products of length `length`.
    public static func study(weightFormat: NumberFormat, inputFormat: NumberFormat, length: Int, count: Int,
                             device: DeviceArithmetic, distribution: Distribution = .normal,
                             seed: UInt64 = 0) throws(DotProductSetupError) -> DotProductErrors {
        let n = length * max(count, 1)
        return try measure(weights: distribution.samples(n, seed: seed),
                           inputs: distribution.samples(n, seed: seed &+ 1),
                           length: length, weightFormat: weightFormat, inputFormat: inputFormat, device: device)
    }
}

/// A tensor in a format: its dequantised values and, for a scalar integer
/// format, the value of one code step (so values / unit are integers).
struct Quantised {
    var values: [Double]
    var unit: Double?
    var isInteger: Bool
    /// For a scalar minifloat: its per-tensor scale (values = codes · scale)
    /// and the format's smallest normal exponent.
    var codeScale: (scale: Double, minExponent: Int)?
    /// The values in the format before the per-tensor scale (minifloats only).
    var codes: [Double] = []

    init(_ data: [Double], _ format: NumberFormat) {
        values = ErrorStudy(format: format, samples: data.count).quantize(data)
        isInteger = format.elementFormat.isInteger
        unit = nil
        let amax = data.reduce(0) { max($0, $1.isFinite ? abs($1) : 0) }
        if case .scalar(.integer(let i)) = format {
            let scale = amax > 0 ? amax / i.maxFinite : 1
            unit = scale * i.step
        }
        if case .scalar(let f) = format, case .minifloat(let m) = f {
            // The same scale as ErrorStudy.quantize (absmax per tensor).
            let scale = amax > 0 ? amax / f.maxFinite : 1
            codes = amax > 0 ? data.map { f.quantize($0 / scale) } : data.map { f.quantize($0) }
            codeScale = (scale, Int(m.minNormal.exponent))
        }
    }
}

extension AnyScalarFormat {
    var isInteger: Bool { if case .integer = self { return true } else { return false } }
}
