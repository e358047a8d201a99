import Foundation
import Formats

/// A seeded source of test data for error studies.
///
/// Every distribution has zero mean and unit standard deviation (Student-t
/// for ν > 2), so that formats are compared on the same signal power; the
/// crest-factor control then rescales outliers.
public enum Distribution: Sendable, Hashable, CustomStringConvertible {
    case normal
    case laplace
    case uniform
    /// Student's t with ν degrees of freedom (heavy tails; ν > 2).
    case studentT(degreesOfFreedom: Double)

    public var description: String {
        switch self {
        case .normal: return "normal"
        case .laplace: return "laplace"
        case .uniform: return "uniform"
        case .studentT(let nu): return "student-t:\(nu.compactString)"
        }
    }

    /// Parses `normal`, `laplace`, `uniform` or `student-t:NU` (ν > 2).
    public init?(parsing text: String) {
        switch text {
        case "normal": self = .normal
        case "laplace": self = .laplace
        case "uniform": self = .uniform
        default:
            guard text.hasPrefix("student-t:"), let nu = Double(text.dropFirst(10)), nu > 2, nu.isFinite else {
                return nil
            }
            self = .studentT(degreesOfFreedom: nu)
        }
    }

    /// `count` samples from `seed`; the same seed gives the same samples.
    public func samples(_ count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in sample(&rng) }
    }

    /// One sample, unit variance.
    public func sample(_ rng: inout SplitMix64) -> Double {
        switch self {
        case .normal: return Distribution.standardNormal(&rng)
        case .laplace:
            // Inverse CDF; scale 1/√2 gives unit variance.
            let u = Distribution.uniformOpen(&rng) - 0.5
            return -(u < 0 ? -1.0 : 1.0) * log(1 - 2 * abs(u)) / 2.0.squareRoot()
        case .uniform:
            return (Distribution.uniformOpen(&rng) * 2 - 1) * 3.0.squareRoot()
        case .studentT(let nu):
            // Z / sqrt(V/ν) with V ~ χ²(ν) as a sum of squares for integer ν,
            // otherwise by a gamma variate (Marsaglia–Tsang); scaled to unit variance.
            let z = Distribution.standardNormal(&rng)
            let v = 2 * Distribution.gamma(shape: nu / 2, &rng)
            return z / (v / nu).squareRoot() * ((nu - 2) / nu).squareRoot()
        }
    }

    /// Uniform in (0, 1).
    static func uniformOpen(_ rng: inout SplitMix64) -> Double {
        (Double(rng.next() >> 11) + 0.5) * 0x1p-53
    }

    static func standardNormal(_ rng: inout SplitMix64) -> Double {
        let u1 = uniformOpen(&rng), u2 = uniformOpen(&rng)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Marsaglia & Tsang (2000), with the shape < 1 boost.
    static func gamma(shape: Double, _ rng: inout SplitMix64) -> Double {
        if shape < 1 { return gamma(shape: shape + 1, &rng) * pow(uniformOpen(&rng), 1 / shape) }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            let x = standardNormal(&rng)
            let v = pow(1 + c * x, 3)
            if v <= 0 { continue }
            let u = uniformOpen(&rng)
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }
}

/// Rescales data so that its crest factor κ = max|x| / σ hits a target in
/// every block: by moving the largest-magnitude element (the outlier) and
/// leaving the rest alone where that reaches the target, and otherwise —
/// a target below what the other elements already give, common for small
/// blocks — by clipping every magnitude of the block to a level c chosen
/// so that κ of the clipped block is the target.
///
/// The INT-vs-FP study (arXiv 2510.25602) compares formats by κ: low κ
/// favours integers, high κ favours floating point. One outlier among n
/// values can reach at most κ = n/√(n−1), so a target at or above that for
/// the block size returns `nil`; `crestFactors(of:blockSize:)` measures
/// what was reached (a block of equal magnitudes cannot go below its own κ).
public func withCrestFactor(_ values: [Double], target kappa: Double, blockSize: Int) -> [Double]? {
    guard blockSize >= 2, kappa >= 1, kappa.isFinite else { return nil }
    var out = values
    var start = 0
    while start < out.count {
        let end = min(start + blockSize, out.count)
        let n = Double(end - start)
        guard kappa < n / (n - 1).squareRoot() else { return nil }
        let indices = start..<end
        guard let peak = indices.max(by: { abs(out[$0]) < abs(out[$1]) }) else { break }
        let sign: Double = out[peak] < 0 ? -1 : 1
        let others = indices.filter { $0 != peak }.map { out[$0] }
        let sum = others.reduce(0, +), sumOfSquares = others.reduce(0) { $0 + $1 * $1 }
        // κ·σ(a) − a as the outlier a grows: σ² = (S2 + a²)/n − ((S1 + a)/n)².
        func gap(_ a: Double) -> Double {
            let mean = (sum + sign * a) / n
            return a - kappa * max((sumOfSquares + a * a) / n - mean * mean, 0).squareRoot()
        }
        let secondLargest = others.map(abs).max() ?? 0
        if gap(secondLargest) > 0 {
            // Even with the outlier tied with the next value κ is too high:
            // clip the block's magnitudes to c instead (κ rises with c).
            let original = indices.map { out[$0] }
            func clipped(_ c: Double) -> [Double] { original.map { $0 < 0 ? max($0, -c) : min($0, c) } }
            func kappaOf(_ c: Double) -> Double { crestFactor(of: clipped(c)) }
            var lowC = 0.0, highC = abs(out[peak])
            for _ in 0..<60 {
                let mid = (lowC + highC) / 2
                if kappaOf(mid) < kappa { lowC = mid } else { highC = mid }
            }
            for (offset, v) in clipped(highC).enumerated() { out[start + offset] = v }
            start = end
            continue
        }
        var low = secondLargest, high = max(low, 1)
        while gap(high) < 0 { high *= 2 }
        for _ in 0..<80 {
            let mid = (low + high) / 2
            if gap(mid) < 0 { low = mid } else { high = mid }
        }
        out[peak] = sign * high
        start = end
    }
    return out
}

/// κ = max|x| / σ of one group (σ the population standard deviation); 0 when σ is 0.
public func crestFactor(of values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
    let peak = values.reduce(0) { max($0, abs($1)) }
    return variance > 0 ? peak / variance.squareRoot() : 0
}

/// The crest factor of each block of `blockSize` values (the last may be shorter).
public func crestFactors(of values: [Double], blockSize: Int) -> [Double] {
    stride(from: 0, to: values.count, by: max(blockSize, 1)).map {
        crestFactor(of: Array(values[$0..<min($0 + max(blockSize, 1), values.count)]))
    }
}
