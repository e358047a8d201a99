import Formats

/// The numerical error a format costs on a distribution: quantization error,
/// and optionally the error of K-long dot products through a multiplier and
/// an accumulator, both against a float64 reference.
public struct ErrorStudy: Sendable {
    /// How scalar formats are scaled before rounding.
    public enum Scaling: String, Sendable, CaseIterable {
        /// Values are rounded as they are.
        case none
        /// Values are divided by amax / max-finite of the whole tensor first
        /// (the per-tensor absmax scaling the INT-vs-FP study uses).
        case absmax
    }

    public var format: NumberFormat
    public var distribution: Distribution
    public var samples: Int
    public var seed: UInt64
    public var crestFactor: Double?
    public var scaling: Scaling
    /// Values per group over which `crestFactor` is imposed.
    public var crestGroup: Int

    public init(format: NumberFormat, distribution: Distribution = .normal, samples: Int = 65_536,
                seed: UInt64 = 0, crestFactor: Double? = nil, scaling: Scaling = .absmax,
                crestGroup: Int = ErrorStudy.crestFactorGroup) {
        self.crestGroup = crestGroup
        self.format = format
        self.distribution = distribution
        self.samples = samples
        self.seed = seed
        self.crestFactor = crestFactor
        self.scaling = scaling
    }

    /// The default group over which `crestFactor` is imposed.
    public static let crestFactorGroup = 4096

    /// The test data; `nil` when the crest factor cannot be reached.
    public func data() -> [Double]? {
        let x = distribution.samples(samples, seed: seed)
        guard let kappa = crestFactor else { return x }
        return withCrestFactor(x, target: kappa, blockSize: min(crestGroup, max(samples, 2)))
    }

    /// What `values` become in the format (dequantized).
    public func quantize(_ values: [Double]) -> [Double] {
        switch format {
        case .block(let b): return b.quantize(values)
        case .scalar(let f):
            guard scaling == .absmax else { return values.map { f.quantize($0) } }
            let amax = values.reduce(0) { max($0, $1.isFinite ? abs($1) : 0) }
            guard amax > 0 else { return values.map { f.quantize($0) } }
            let scale = amax / f.maxFinite
            return values.map { f.quantize($0 / scale) * scale }
        }
    }

    /// Quantization error of the format on the data.
    public func quantizationError() -> ErrorMetrics? {
        guard let x = data() else { return nil }
        return ErrorMetrics(reference: x, approximate: quantize(x))
    }

    /// Error of `count` dot products of length `length` (rows of the data
    /// against a second, independent draw), computed on quantized operands
    /// through `emulator`, against the float64 dot product of the
    /// unquantized data.
    public func dotProductError(length: Int, emulator: DotProductEmulator) -> ErrorMetrics? {
        guard let x = data(), length > 0, x.count >= length else { return nil }
        let y = ErrorStudy(format: format, distribution: distribution, samples: samples, seed: seed &+ 1,
                           crestFactor: nil, scaling: scaling).data() ?? []
        let qx = quantize(x), qy = quantize(y)
        var reference: [Double] = [], approximate: [Double] = []
        var overflows = 0
        var start = 0
        while start + length <= x.count {
            let range = start..<(start + length)
            reference.append(range.reduce(0.0) { $0 + x[$1] * y[$1] })
            let r = emulator.dot(Array(qx[range]), Array(qy[range]))
            if r.overflowed { overflows += 1 }
            approximate.append(r.value)
            start += length
        }
        return ErrorMetrics(reference: reference, approximate: approximate, extraOverflows: overflows)
    }
}
