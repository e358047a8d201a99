import Foundation

/// The gate-count model of a k-lane MAC unit with FP32 accumulation from
/// Chen et al., "INT v.s. FP: A Comprehensive Study of Fine-Grained Low-bit
/// Quantization Formats" (arXiv 2510.25602), Table 6, as a selectable
/// alternative to `CellCostModel` for comparing INT and FP MAC arrays.
///
/// Sub-block counts (x exponent bits, y mantissa bits, x = 0 for INT,
/// n = min(2^(x+1) + 2y, 24) the aligner width):
///
/// | sub-block | INT | FP |
/// |---|---|---|
/// | multiplier | k(x+y+1)² | k(y+1)² |
/// | exponent adder, subtractor, comparator | – | kx each |
/// | mantissa / integer adder | 2k(x+y+1) | kn |
/// | barrel aligner | – | k·n·log2 n |
/// | normaliser (shared) | – | n·log2 n |
///
/// The paper reports its results (Table 5) as energy and area normalised to
/// MXFP8 at equal throughput, not as weights per sub-block. lpsim turns the
/// counts into energy and area with three constants per metric — the weight
/// of a multiplier gate and of an aligner/normaliser gate relative to an
/// adder gate, and a fixed per-lane cost (operand registers and the lane's
/// share of the FP32 accumulator) — fitted to Table 5 (scripts/fit_gate_count_model.py).
/// That is 3 constants for 4 ratios per metric: a calibration that
/// reproduces Table 5 within ±0.07, not an independent prediction. The
/// area fit gives aligner gates almost no weight, which says the paper's
/// area accounting is not dominated by its shifters.
public struct GateCountModel: Sendable, Hashable {
    /// Weights relative to an adder gate.
    public struct Weights: Sendable, Hashable {
        public var multiplierGate: Double
        public var shifterGate: Double
        public var perLane: Double
    }

    public var energy: Weights
    public var area: Weights

    /// Fitted to Table 5 of arXiv 2510.25602.
    public static let chen2025 = GateCountModel(
        energy: Weights(multiplierGate: 0.7449, shifterGate: 0.5767, perLane: 37.51),
        area: Weights(multiplierGate: 0.1798, shifterGate: 0.0021, perLane: 3.745))

    /// Gate counts of one k-lane unit, by sub-block class.
    public struct Counts: Sendable, Hashable {
        public var multiplier: Double
        public var adder: Double
        public var shifter: Double
        public var lanes: Double
    }

    /// Table 6 for a format with x exponent and y mantissa bits (INT: x = 0,
    /// y = bits − 1) and k lanes.
    public static func counts(exponentBits x: Int, mantissaBits y: Int, lanes k: Int) -> Counts {
        let k = Double(k)
        if x == 0 {
            let w = Double(y + 1)
            return Counts(multiplier: k * w * w, adder: 2 * k * w, shifter: 0, lanes: k)
        }
        let n = Double(min((1 << (x + 1)) + 2 * y, 24))
        let shift = n * log2(n)
        return Counts(multiplier: k * Double((y + 1) * (y + 1)), adder: 3 * k * Double(x) + k * n,
                      shifter: k * shift + shift, lanes: k)
    }

    static func weighted(_ c: Counts, _ w: Weights) -> Double {
        c.multiplier * w.multiplierGate + c.adder + c.shifter * w.shifterGate + c.lanes * w.perLane
    }

    /// Energy and area of a unit doing `throughput` MACs per cycle, built from
    /// `throughput / k` units of k lanes each, in adder-gate equivalents.
    public func cost(exponentBits x: Int, mantissaBits y: Int, lanes k: Int,
                     throughput: Int) -> (energy: Double, area: Double) {
        let c = Self.counts(exponentBits: x, mantissaBits: y, lanes: k)
        let units = Double(throughput) / Double(k)
        return (Self.weighted(c, energy) * units, Self.weighted(c, area) * units)
    }
}
