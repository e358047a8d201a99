import Formats
import Foundation

/// FPGA resources of one part of a design: the five budgets of a device
/// file (LUTs, FFs, DSP slices, BRAM, URAM). Block RAM is counted in 18 Kb
/// halves, as FINN's estimates do (a BRAM36 is two BRAM18s, UG573).
public struct FPGAUsage: Sendable, Hashable {
    public var luts = 0
    public var flipFlops = 0
    public var dsps = 0
    public var bram18 = 0
    public var uram = 0

    public init(luts: Int = 0, flipFlops: Int = 0, dsps: Int = 0, bram18: Int = 0, uram: Int = 0) {
        self.luts = luts
        self.flipFlops = flipFlops
        self.dsps = dsps
        self.bram18 = bram18
        self.uram = uram
    }

    public static func + (a: FPGAUsage, b: FPGAUsage) -> FPGAUsage {
        FPGAUsage(luts: a.luts + b.luts, flipFlops: a.flipFlops + b.flipFlops, dsps: a.dsps + b.dsps,
                  bram18: a.bram18 + b.bram18, uram: a.uram + b.uram)
    }

    /// BRAM36 equivalents (half blocks count as 0.5).
    public var bram36: Double { Double(bram18) / 2 }

    /// The first resource over `budget`, with what is used and available.
    public func overrun(of budget: FPGAUsage) -> (resource: String, used: Int, available: Int)? {
        if luts > budget.luts { return ("LUTs", luts, budget.luts) }
        if flipFlops > budget.flipFlops { return ("FFs", flipFlops, budget.flipFlops) }
        if dsps > budget.dsps { return ("DSP slices", dsps, budget.dsps) }
        if bram18 > budget.bram18 { return ("BRAM18 blocks", bram18, budget.bram18) }
        if uram > budget.uram { return ("URAM blocks", uram, budget.uram) }
        return nil
    }

    public func fits(_ budget: FPGAUsage) -> Bool { overrun(of: budget) == nil }
}

/// How a unit builds its multipliers.
public enum MultiplierStyle: String, Sendable, Hashable {
    /// XNOR gates and a popcount (binary and bipolar 1-bit layers).
    case xnor
    /// DSP slices, packed per the slice type (WP486, WP521, AM004).
    case dsp
    /// LUT fabric.
    case lut
}

/// Where a unit's weights live.
public enum WeightStore: String, Sendable, Hashable {
    /// Distributed RAM in LUTs (shallow memories).
    case lutram
    case bram, uram
    /// Off-chip, streamed in once per inference (the DDR bandwidth bounds the rate).
    case ddr
}

/// Resource estimates of one matrix–vector unit at one folding, after FINN's
/// own estimates (Xilinx/finn `matrixvectoractivation.py`: `lut_estimation`,
/// `bram_estimation`, `uram_estimation`, from Blott et al., FINN-R, ACM TRETS
/// 2018) with the block-RAM aspect ratios of UG573 and DSP packing per slice
/// type. These are estimates, not synthesis results.
public enum UnitResources {
    /// FINN's fixed LUT overhead per unit and its scale on per-PE logic
    /// (`c0 = 300`, `c1 = 1.1`, "parameters from experiments" in FINN-R).
    static let lutOverhead = 300.0, lutScale = 1.1

    /// Depth up to which FINN keeps weights in distributed RAM
    /// (`calc_wmem() <= 128` in `bram_estimation`).
    static let lutramMaxDepth = 128

    /// Minimum accumulator width for an MW-long dot product of W-bit weights
    /// and A-bit inputs: α = log2 MW + W + A − 1 − [input signed], width
    /// ⌈α + log2(1 + 2^−α) + 1⌉ (Colbert et al., A2Q, arXiv 2301.13376, as
    /// FINN's `lut_estimation` uses it). Minifloat products accumulate in a
    /// fixed-point register spanning their exponent range (`FPGAResources`).
    public static func accumulatorBits(_ layer: DataflowLayer) -> Int {
        let w = layer.weight.elementFormat, a = layer.input.elementFormat
        if case .minifloat = w { return minifloatAccumulator(layer) }
        if case .minifloat = a { return minifloatAccumulator(layer) }
        let signedInput: Bool = if case .integer(let i) = a { i.isSigned } else { true }
        let alpha = log2(Double(max(layer.columns, 1))) + Double(w.bitWidth + a.bitWidth) - 1 - (signedInput ? 1 : 0)
        return Int((alpha + log2(1 + pow(2, -alpha)) + 1).rounded(.up))
    }

    static func minifloatAccumulator(_ layer: DataflowLayer) -> Int {
        let widest = [layer.weight.elementFormat, layer.input.elementFormat].compactMap { f -> (Int, Int)? in
            if case .minifloat(let m) = f { return (m.exponentBits, m.mantissaBits) }
            return nil
        }.max { $0.0 + $0.1 < $1.0 + $1.1 }!
        let log2K = Int.bitWidth - (max(layer.columns, 2) - 1).leadingZeroBitCount
        return (1 << (widest.0 + 1)) + 2 * (widest.1 + 1) + log2K
    }

    /// MACs one DSP slice does per cycle on this layer, or nil when the
    /// slice type has no packing for its operands. `packing` is the device
    /// file's `dsp_packing` rate for the layer's compute format.
    public static func dspsFor(pe: Int, simd: Int, dspType: FPGAFamily.DSPType, packing: Double) -> Int {
        switch (dspType, packing) {
        // WP486: two INT8 products that share the input operand: two PEs per slice.
        case (.dsp48e2, 2): return (pe + 1) / 2 * simd
        // AM004: DSP58 INT8 mode is a three-element dot product: three SIMD lanes per slice.
        case (.dsp58, 3): return pe * ((simd + 2) / 3)
        default: return Int((Double(pe * simd) / packing).rounded(.up))
        }
    }

    /// LUTs of one W × A multiplier built in fabric: FINN's integer estimate
    /// (2⌈(W+A)/6⌉ − 1)(W+A); for minifloats, `FPGAResources.lutsPerMAC`
    /// less its accumulator (counted once per PE here).
    static func multiplierLUTs(_ layer: DataflowLayer) -> Int {
        let w = layer.weight.elementFormat, a = layer.input.elementFormat
        switch (w, a) {
        case (.integer, .integer): return FPGAResources.multiplierLUTs(w.bitWidth, a.bitWidth)
        default:
            let widest = w.bitWidth >= a.bitWidth ? layer.weight : layer.input
            let acc = minifloatAccumulator(layer)
            return max(1, FPGAResources.lutsPerMAC(widest, reductionLength: layer.columns) - acc)
        }
    }

    /// The unit's resources at a folding (`pe` divides MH, `simd` divides MW),
    /// its weights stored in `store`. Weights in `.ddr` use no block RAM.
    public static func estimate(_ layer: DataflowLayer, pe: Int, simd: Int, style: MultiplierStyle,
                                store: WeightStore, dspType: FPGAFamily.DSPType, packing: Double) -> FPGAUsage {
        let w = layer.weight.elementFormat.bitWidth, a = layer.input.elementFormat.bitWidth
        let acc = accumulatorBits(layer)
        let mult: Int
        var dsps = 0
        switch style {
        // XNOR-popcount: FINN's estimate with W = A = 1 (one LUT per XNOR pair).
        case .xnor: mult = simd * FPGAResources.multiplierLUTs(1, 1)
        case .dsp:
            mult = 0
            dsps = dspsFor(pe: pe, simd: simd, dspType: dspType, packing: packing)
        case .lut: mult = simd * multiplierLUTs(layer)
        }
        let adderTree = (w + a) * (2 * simd - 1)
        var luts = Int((lutOverhead + lutScale * Double(pe * (mult + adderTree + acc))).rounded(.up))
        // Pipeline registers (an estimate): the input vector once, each PE's
        // products and its accumulator.
        var ffs = simd * a + pe * (simd * (w + a) + acc)
        let (depth, width) = memoryShape(layer, pe: pe, simd: simd)
        var bram18 = 0, uram = 0
        if let window = layer.window {
            // The sliding window's line buffer: (R + stride) lines of W·C/SIMD words of SIMD·A bits,
            // in distributed RAM when shallow, else BRAM; FINN's ConvolutionInputGenerator estimate
            // counts (k + stride) buffers the same way, and 300 LUTs of control (an estimate).
            luts += Int(lutOverhead)
            if simd > window.channels {
                // A parallel window reads whole R × S windows each cycle: its lines are kept in
                // registers, with a multiplexer per output bit (an estimate).
                ffs += (window.kernelRows + window.stride) * window.inputWidth * window.channels * a
                luts += simd * a
            } else {
                let words = (window.kernelRows + window.stride) * window.inputWidth * (window.channels / simd)
                let bits = simd * a
                if words <= lutramMaxDepth { luts += bits * ((words + 63) / 64) } else {
                    bram18 += bram18Blocks(depth: words, width: bits)
                }
            }
        }
        switch store {
        case .lutram: luts += width * ((depth + 63) / 64)  // UG574: a LUT6 is a 64 × 1 RAM
        case .bram: bram18 += bram18Blocks(depth: depth, width: width)
        case .uram: uram = uramBlocks(depth: depth, width: width)
        case .ddr: break
        }
        return FPGAUsage(luts: luts, flipFlops: ffs, dsps: dsps, bram18: bram18, uram: uram)
    }

    /// The weight memory of a unit: depth MH·MW/(PE·SIMD) words of PE·SIMD·W bits.
    public static func memoryShape(_ layer: DataflowLayer, pe: Int, simd: Int) -> (depth: Int, width: Int) {
        let depth = ((layer.rows + pe - 1) / pe) * ((layer.columns + simd - 1) / simd)
        return (depth, pe * simd * layer.weight.elementFormat.bitWidth)
    }

    /// BRAM18 aspect ratios (depth × width) in simple dual-port mode, UG573 Table 1-5.
    static let bram18Shapes = [(16384, 1), (8192, 2), (4096, 4), (2048, 9), (1024, 18), (512, 36)]

    /// The fewest BRAM18 blocks holding `depth` words of `width` bits over
    /// the aspect ratios UG573 lists.
    public static func bram18Blocks(depth: Int, width: Int) -> Int {
        bram18Shapes.map { d, w in ((width + w - 1) / w) * ((depth + d - 1) / d) }.min()!
    }

    /// UltraRAM: 4K × 72 only (UG573, "UltraRAM").
    public static func uramBlocks(depth: Int, width: Int) -> Int {
        ((width + 71) / 72) * ((depth + 4095) / 4096)
    }
}
