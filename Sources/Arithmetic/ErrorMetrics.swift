/// How far a computed result is from its reference.
public struct ErrorMetrics: Sendable, Hashable {
    /// QSNR = −10·log10(‖x − x̂‖² / ‖x‖²), dB (arXiv 2510.25602 §3).
    public var qsnrDecibels: Double
    /// Mean of |x̂ − x| / |x| over nonzero references.
    public var meanRelativeError: Double
    /// Largest |x̂ − x| / |x| over nonzero references.
    public var maxRelativeError: Double
    /// Results that overflowed (non-finite, wrapped or saturated).
    public var overflowCount: Int
    /// How many values were compared.
    public var count: Int

    /// Compares `approximate` with `reference`, element by element.
    ///
    /// Non-finite approximations count as overflows and are left out of the
    /// relative errors (and make QSNR −∞); `extraOverflows` adds overflows
    /// detected elsewhere (a wrapped integer accumulator).
    public init(reference: [Double], approximate: [Double], extraOverflows: Int = 0) {
        precondition(reference.count == approximate.count)
        var signal = 0.0, noise = 0.0, sumRelative = 0.0, maxRelative = 0.0
        var relativeCount = 0, overflows = extraOverflows
        for (x, y) in zip(reference, approximate) {
            signal += x * x
            guard y.isFinite else { overflows += 1; noise = .infinity; continue }
            let e = y - x
            noise += e * e
            if x != 0 {
                let r = abs(e) / abs(x)
                sumRelative += r
                maxRelative = max(maxRelative, r)
                relativeCount += 1
            }
        }
        qsnrDecibels = noise == 0 ? .infinity : signal == 0 ? -.infinity : -10 * log10Exact(noise / signal)
        meanRelativeError = relativeCount == 0 ? 0 : sumRelative / Double(relativeCount)
        maxRelativeError = maxRelative
        overflowCount = overflows
        count = reference.count
    }
}

import Foundation

@usableFromInline
func log10Exact(_ x: Double) -> Double { log10(x) }
