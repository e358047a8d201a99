extension AnyScalarFormat {
    /// Σ(x − q(x))² for float32 `values` under a per-tensor `scale` (q(x) =
    /// round-to-nearest-even of x / scale on the grid, saturating, times
    /// scale — what `nearestEvenGrid` gives, in the same Double operations),
    /// with Σx² beside it; nil when the format has no branch-free grid
    /// (`ElementGrid`) or a value is NaN or ±∞ (the caller then uses the
    /// readable path). Only the order of the sums differs from it.
    public func scaledSignalNoise(_ values: UnsafeBufferPointer<Float>,
                                  scale: Double) -> (signal: Double, noise: Double)? {
        guard scale > 0, scale.isFinite, let grid = elementGrid(self) else { return nil }
        switch grid {
        case let g as MinifloatGrid: return scaledNoise(g, values, scale, maxFinite)
        case let g as IntegerGrid: return scaledNoise(g, values, scale, maxFinite)
        default: return nil
        }
    }
}

@inline(__always)
func scaledNoise<G: ElementGrid>(_ g: G, _ values: UnsafeBufferPointer<Float>, _ scale: Double,
                                 _ lim: Double) -> (signal: Double, noise: Double)? {
    guard let x = values.baseAddress else { return (0, 0) }
    var errors = [Double](repeating: 0, count: BlockFormat.Float32Kernel.tile)
    var signal = 0.0, noise = 0.0
    let finite = errors.withUnsafeMutableBufferPointer { scratch -> Bool in
        let e = scratch.baseAddress!
        var start = 0
        while start < values.count {
            let n = min(scratch.count, values.count - start)
            let p = x + start
            var m: UInt32 = 0
            for i in 0..<n { let b = p[i].bitPattern & 0x7FFF_FFFF; m = b > m ? b : m }
            if m >= 0x7F80_0000 { return false }
            for i in 0..<n {
                let v = Double(p[i])
                var y = v / scale
                y = y < -lim ? -lim : y
                y = y > lim ? lim : y
                e[i] = v - g.round(y) * scale
            }
            signal += sumOfSquares(p, n)
            noise += sumOfSquares(e, n)
            start += n
        }
        return true
    }
    return finite ? (signal, noise) : nil
}
