import Foundation
import Formats

/// The accumulation error of one GEMM output tile, C = A·Bᵀ with A (M×K) and
/// B (N×K), on a device's multiplier and accumulator: every output Cᵢⱼ is the
/// device's dot product of row i of A with row j of B, against the exact sum
/// of the same products (so only the accumulation's error is measured, as
/// DeepSeek-V3 §3.3.2 isolates it).
///
/// Besides the element-wise metrics, the metric a GEMM's relative error is
/// usually read by: each output's error relative to the RMS of its row of
/// outputs. An element-wise |Ĉ − C| / |C| is unbounded on zero-mean data (an
/// output near zero keeps the truncation error of its non-zero products), so
/// its maximum measures the smallest output rather than the accumulator.
public struct GEMMTileErrors: Sendable {
    public var rows: Int
    public var columns: Int
    public var length: Int
    /// Element-wise, against the exact sum of the device's products.
    public var accumulation: ErrorMetrics
    /// max over i, j of |Ĉᵢⱼ − Cᵢⱼ| / RMSⱼ(Cᵢⱼ).
    public var maxErrorOverRowRMS: Double
    /// ‖Ĉ − C‖_F / ‖C‖_F.
    public var normwise: Double
}

extension GEMMTileErrors {
    /// Measures the tile. Both tensors are quantised whole to `format`, a
    /// scalar minifloat under a per-tensor absmax scale (one scale per
    /// tensor, so the accumulator sees the FP8 codes and the scales apply
    /// after it, as a tensor core does).
    ///
    /// - Parameters: `a` is M×K and `b` N×K, row-major.
    /// - Throws: when the sizes disagree, or `format` is not a scalar minifloat.
    public static func measure(a: [Double], b: [Double], rows m: Int, columns n: Int, length k: Int,
                               format: NumberFormat, device: DeviceArithmetic)
        throws(DotProductSetupError) -> GEMMTileErrors {
        guard m >= 1, n >= 1, k >= 1, a.count == m * k, b.count == n * k else {
            throw DotProductSetupError(description: "a GEMM tile needs A of \(m)×\(k) and B of \(n)×\(k) values")
        }
        guard case .scalar(.minifloat) = format else {
            throw DotProductSetupError(description: "a GEMM tile quantises to a scalar minifloat, not \(format.name)")
        }
        let qa = Quantised(a, format), qb = Quantised(b, format)
        guard let sa = qa.codeScale, let sb = qb.codeScale else {
            throw DotProductSetupError(description: "a GEMM tile quantises to a scalar minifloat, not \(format.name)")
        }
        var minExponent: Int?
        if case .alignedTruncating = device.accumulator { minExponent = min(sa.minExponent, sb.minExponent) }
        let emulator = DotProductEmulator(multiplier: device.multiplier, accumulator: device.accumulator,
                                          promotionInterval: device.promotionInterval, operandMinExponent: minExponent)
        let unit = sa.scale * sb.scale
        // Outputs are independent, so rows run in parallel; each row writes only its own slots.
        let out = TileBuffer(count: 2 * m * n)
        defer { out.pointer.deallocate() }
        DispatchQueue.concurrentPerform(iterations: m) { i in
            let x = Array(qa.codes[(i * k)..<((i + 1) * k)])
            for j in 0..<n {
                let y = Array(qb.codes[(j * k)..<((j + 1) * k)])
                var sum = ExactSum()
                for t in 0..<k { sum.add(device.multiplier.multiply(x[t], y[t])) }
                out.pointer[i * n + j] = sum.value * unit
                out.pointer[m * n + i * n + j] = emulator.dot(x, y).value * unit
            }
        }
        let exact = Array(UnsafeBufferPointer(start: out.pointer, count: m * n))
        let computed = Array(UnsafeBufferPointer(start: out.pointer + m * n, count: m * n))
        var worst = 0.0, noise = 0.0, signal = 0.0
        for i in 0..<m {
            let row = (i * n)..<((i + 1) * n)
            let power = exact[row].reduce(0) { $0 + $1 * $1 }
            let rms = (power / Double(n)).squareRoot()
            signal += power
            for idx in row {
                let e = computed[idx] - exact[idx]
                noise += e * e
                if rms > 0 { worst = max(worst, abs(e) / rms) }
            }
        }
        return GEMMTileErrors(rows: m, columns: n, length: k,
                              accumulation: ErrorMetrics(reference: exact, approximate: computed),
                              maxErrorOverRowRMS: worst,
                              normwise: signal > 0 ? (noise / signal).squareRoot() : 0)
    }
}

/// Scratch memory the rows of a tile write in parallel, each to disjoint slots.
private struct TileBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    init(count: Int) {
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }
}
