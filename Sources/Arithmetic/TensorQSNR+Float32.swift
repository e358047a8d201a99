import Formats

extension NumberFormat {
    /// `signalNoise(_:tensorAmax:)` for float32 values (bf16, fp16 and fp32
    /// tensors convert to float exactly) through the bulk kernels
    /// (`BlockFormat.Float32Kernel`, `AnyScalarFormat.scaledSignalNoise`):
    /// the same quantised values, the same per-element errors, summed in
    /// another order. Falls back to the readable path for a format without a
    /// kernel, for a chunk holding NaN or ±∞, and for an all-zero tensor.
    public func signalNoise(float values: UnsafeBufferPointer<Float>, tensorAmax: Double) -> SignalNoise {
        let sums: (signal: Double, noise: Double)?
        switch self {
        case .scalar(let f):
            sums = tensorAmax > 0 ? f.scaledSignalNoise(values, scale: tensorAmax / f.maxFinite) : nil
        case .block(let b):
            let ts = b.hasTensorScale ? b.tensorScale(for: [tensorAmax]) : 1
            sums = b.float32Kernel?.signalNoise(values, tensorScale: ts)
        }
        guard let sums else { return signalNoise(values.map(Double.init), tensorAmax: tensorAmax) }
        var result = SignalNoise()
        result.signal = sums.signal
        result.noise = sums.noise
        result.count = values.count
        return result
    }
}
