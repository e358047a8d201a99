import Formats

/// Signal and noise energy of one tensor (or part of one) in one format:
/// QSNR = 10·log10(signal / noise), and parts add.
public struct SignalNoise: Sendable, Hashable {
    public var signal = 0.0
    public var noise = 0.0
    public var count = 0
    public var nonFinite = 0

    public init() {}

    public var qsnrDecibels: Double {
        noise == 0 ? .infinity : signal == 0 ? -.infinity : -10 * log10Exact(noise / signal)
    }

    public static func + (a: SignalNoise, b: SignalNoise) -> SignalNoise {
        var s = SignalNoise()
        s.signal = a.signal + b.signal; s.noise = a.noise + b.noise
        s.count = a.count + b.count; s.nonFinite = a.nonFinite + b.nonFinite
        return s
    }
}

extension NumberFormat {
    /// The error energy of quantising `values`, one chunk of a tensor whose
    /// largest finite magnitude is `tensorAmax`: scalar formats under the
    /// per-tensor absmax scale (as `ErrorStudy`), block formats under their
    /// own block scales (chunks must start on a block boundary) and, where
    /// they have one, the tensor scale from `tensorAmax`. Non-finite inputs
    /// are counted and left out.
    public func signalNoise(_ values: [Double], tensorAmax: Double) -> SignalNoise {
        var result = SignalNoise()
        let finite = values.allSatisfy(\.isFinite) ? values : values.filter(\.isFinite)
        result.nonFinite = values.count - finite.count
        let q: [Double]
        switch self {
        case .scalar(let f):
            if tensorAmax > 0 {
                let scale = tensorAmax / f.maxFinite
                if let round = f.nearestEvenGrid {
                    q = finite.map { round($0 / scale) * scale }
                } else {
                    q = finite.map { f.quantize($0 / scale) * scale }
                }
            } else { q = finite.map { f.quantize($0) } }
        case .block(let b):
            let ts = b.hasTensorScale ? b.tensorScale(for: [tensorAmax]) : 1
            var out = [Double](repeating: 0, count: finite.count)
            let fast = finite.withUnsafeBufferPointer { input in
                out.withUnsafeMutableBufferPointer { b.quantizeFast(input, tensorScale: ts, into: $0) }
            }
            if fast { q = out; break }
            var rng = SplitMix64(seed: 0)
            var codes = [UInt32](repeating: 0, count: b.blockSize)
            finite.withUnsafeBufferPointer { input in
                codes.withUnsafeMutableBufferPointer { c in
                    var start = 0
                    while start < input.count {
                        let end = min(start + b.blockSize, input.count)
                        let block = UnsafeBufferPointer(rebasing: input[start..<end])
                        let slot = UnsafeMutableBufferPointer(rebasing: c[0..<(end - start)])
                        let scale = b.encodeBlock(block, tensorScale: ts, rounding: .nearestEven, random: &rng,
                                                  into: slot)
                        for i in 0..<(end - start) {
                            out[start + i] = b.value(code: slot[i], scaleCode: scale, tensorScale: ts)
                        }
                        start = end
                    }
                }
            }
            q = out
        }
        for (x, y) in zip(finite, q) {
            result.signal += x * x
            result.noise += (x - y) * (x - y)
        }
        result.count = finite.count
        return result
    }
}

