import Foundation

/// A k-lane dot-product unit: k multipliers, one adder tree, one accumulator
/// and the block-scale handling of the products it sums — the unit MX and
/// tensor-core datapaths are built from, and the unit the INT-vs-FP study
/// prices (Chen et al., arXiv 2510.25602, App. C and Table 6).
///
/// Pricing, in three parts:
/// - the lanes (multipliers, exponent logic, aligners, the adder tree and
///   the shared normaliser) are Table 6's gate counts, weighted by
///   `LaneWeights` relative to one adder bit and priced at the adder-bit
///   cost of `CellLibrary` at the node;
/// - the accumulator (one per unit) and the scale units (one per block)
///   are ordinary `ArithmeticUnit`s priced by the `CellCostModel`, so a
///   device's accumulator and its cost overrides count;
/// - the lane weights are fitted to Table 5 (scripts/fit_dot_product_unit.py)
///   with the FP32 accumulator and scale units as above: 3 constants for 4
///   ratios per metric, a calibration (max error 0.041 energy, 0.071 area).
///
/// A floating-point unit aligns every product to the largest exponent and
/// truncates it to the tree's width before an exact integer sum; the width
/// is App. C's n = min(2^(x+1) + 2y, 24) unless the device gives kept bits
/// (Hopper's FP8 tensor core keeps about 14, DeepSeek-V3 §3.3.2). An
/// integer unit sums its products exactly.
public struct DotProductUnit: Sendable, Hashable, CustomStringConvertible {
    /// What one lane multiplies.
    public enum Operand: Sendable, Hashable {
        /// b-bit integers (x = 0, y = b − 1 in Table 6).
        case integer(bits: Int)
        /// ExMy floats; `lmul` replaces the significand product by one
        /// (E+M)-bit integer addition (arXiv 2410.00907).
        case float(exponentBits: Int, mantissaBits: Int, lmul: Bool)
    }

    /// How the unit keeps its partial sum.
    public enum AccumulatorKind: Sendable, Hashable {
        case integer(bits: Int)
        case float(exponentBits: Int, mantissaBits: Int)
    }

    /// The scale handling of one block of products.
    public enum BlockScale: Sendable, Hashable {
        case none
        /// Two E8M0 scales: their exponents add (OCP MX).
        case powerOfTwo
        /// Two ExMy scales multiply (NVFP4's E4M3).
        case float(exponentBits: Int, mantissaBits: Int)
    }

    public var lanes: Int
    public var operand: Operand
    public var accumulator: AccumulatorKind
    public var blockScale: BlockScale
    /// Products per scale unit (the block size); ignored without a block scale.
    public var blockSize: Int
    /// Bits each aligned product keeps (FP only); nil: App. C's width.
    public var keptBits: Int?

    public init(lanes: Int, operand: Operand, accumulator: AccumulatorKind = .float(exponentBits: 8, mantissaBits: 23),
                blockScale: BlockScale = .none, blockSize: Int = 1, keptBits: Int? = nil) {
        self.lanes = max(lanes, 1)
        self.operand = operand
        self.accumulator = accumulator
        self.blockScale = blockScale
        self.blockSize = max(blockSize, 1)
        self.keptBits = keptBits
    }

    public var description: String {
        let what: String
        switch operand {
        case .integer(let b): what = "int\(b)"
        case .float(let e, let m, let lmul): what = "e\(e)m\(m)" + (lmul ? " L-Mul" : "")
        }
        return "\(lanes)-lane \(what) dot-product unit"
    }

    /// App. C's aligner width for ExMy products: min(2^(x+1) + 2y, 24).
    public static func alignerWidth(exponentBits x: Int, mantissaBits y: Int) -> Int {
        min((1 << min(x + 1, 20)) + 2 * y, 24)
    }

    /// The tree's width: kept bits if given, App. C's otherwise; nil for integers.
    public var treeWidth: Int? {
        guard case .float(let e, let m, _) = operand else { return nil }
        return keptBits ?? Self.alignerWidth(exponentBits: e, mantissaBits: m)
    }

    /// Weights of Table 6's gate classes relative to one adder bit.
    public struct LaneWeights: Sendable, Hashable {
        public var multiplierGate: Double
        public var shifterGate: Double
        /// Operand and pipeline registers per lane, in adder bits.
        public var perLane: Double

        /// Fitted to arXiv 2510.25602 Table 5 by scripts/fit_dot_product_unit.py.
        public static let chen2025Energy = LaneWeights(multiplierGate: 1.4575, shifterGate: 1.10888, perLane: 36.7301)
        /// The area fit puts no weight on the per-lane constant.
        public static let chen2025Area = LaneWeights(multiplierGate: 2.90073, shifterGate: 1.83601, perLane: 0)
    }

    /// Table 6's gate counts for the k lanes (with the shared normaliser).
    public var laneGates: GateCountModel.Counts {
        let k = Double(lanes)
        switch operand {
        case .integer(let b):
            let w = Double(b)
            return GateCountModel.Counts(multiplier: k * w * w, adder: 2 * k * w, shifter: 0, lanes: k)
        case .float(let x, let y, let lmul):
            let n = Double(treeWidth ?? 24)
            let shift = n * log2(max(n, 2))
            // Exponent adder, subtractor and comparator: kx each; L-Mul adds
            // the (x+y)-bit fields instead of multiplying significands.
            let multiplier = lmul ? 0 : k * Double((y + 1) * (y + 1))
            let exponentAdd = lmul ? k * Double(x + y) : k * Double(x)
            return GateCountModel.Counts(multiplier: multiplier, adder: exponentAdd + 2 * k * Double(x) + k * n,
                                         shifter: k * shift + shift, lanes: k)
        }
    }

    static func weighted(_ c: GateCountModel.Counts, _ w: LaneWeights) -> Double {
        c.multiplier * w.multiplierGate + c.adder + c.shifter * w.shifterGate + c.lanes * w.perLane
    }

    /// The accumulator as a cell-model unit.
    public var accumulatorUnit: ArithmeticUnit {
        switch accumulator {
        case .integer(let bits): return .integerAccumulator(bits: bits)
        case .float(let e, let m): return .floatAccumulator(exponentBits: e, mantissaBits: m)
        }
    }

    /// The scale unit of one block, if any.
    public var scaleUnit: ArithmeticUnit? {
        switch blockScale {
        case .none: return nil
        case .powerOfTwo: return .integerAdder(bits: 8)
        case .float(let e, let m): return .floatMultiplier(exponentBits: e, mantissaBits: m)
        }
    }

    /// The parts of one MAC's cost: the lanes' share, the accumulator's
    /// share (1/k) and the scale unit's share (1/block size).
    public func perMACParts(costModel: CellCostModel, at technology: Technology) -> [(String, UnitCost)] {
        let k = Double(lanes)
        let lib = costModel.library
        let gates = laneGates
        let laneEnergy = Self.weighted(gates, .chen2025Energy) * lib.adderBitEnergy * technology.energyFactor
        let laneArea = Self.weighted(gates, .chen2025Area) * lib.adderBitArea * technology.areaFactor
        let depth: Double
        switch operand {
        case .integer(let b):
            depth = ArithmeticUnit.integerMultiplier(bits: b, by: b).cells.depth
                + ArithmeticUnit.adderTree(inputs: lanes, bits: 2 * b).cells.depth
        case .float(_, let m, _):
            let n = treeWidth ?? 24
            depth = ArithmeticUnit.integerMultiplier(bits: m + 1, by: m + 1).cells.depth
                + 2 * ArithmeticUnit.ceilLog2(n)
                + ArithmeticUnit.adderTree(inputs: lanes, bits: n).cells.depth
        }
        var parts: [(String, UnitCost)] = [
            ("\(lanes) lanes (Table 6 gates), per lane",
             UnitCost(energyPicojoules: laneEnergy / k, areaSquareMicrometres: laneArea / k,
                      delayNanoseconds: depth * technology.fo4Nanoseconds)),
        ]
        let acc = costModel.cost(of: accumulatorUnit, at: technology)
        parts.append(("\(accumulatorUnit), 1/\(lanes) per MAC", acc.scaled(by: 1 / k)))
        if let scale = scaleUnit {
            let c = costModel.cost(of: scale, at: technology)
            parts.append(("\(scale) for the block scales, 1/\(blockSize) per MAC", c.scaled(by: 1 / Double(blockSize))))
        }
        return parts
    }

    /// Energy and area of one MAC (the unit's cost over its k lanes); the
    /// delay is the unit's critical path.
    public func perMAC(costModel: CellCostModel = CellCostModel(), at technology: Technology) -> UnitCost {
        perMACParts(costModel: costModel, at: technology).reduce(UnitCost.zero) { total, part in
            UnitCost(energyPicojoules: total.energyPicojoules + part.1.energyPicojoules,
                     areaSquareMicrometres: total.areaSquareMicrometres + part.1.areaSquareMicrometres,
                     delayNanoseconds: total.delayNanoseconds + part.1.delayNanoseconds)
        }
    }
}

extension UnitCost {
    /// Energy and area times `f` (a share of a unit), delay unchanged.
    public func scaled(by f: Double) -> UnitCost {
        UnitCost(energyPicojoules: energyPicojoules * f, areaSquareMicrometres: areaSquareMicrometres * f,
                 delayNanoseconds: delayNanoseconds)
    }
}
