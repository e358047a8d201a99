import Arithmetic
import Formats

extension DatapathCost {
    /// The dot-product unit a MAC of `format` belongs to on this
    /// datapath, or nil where MACs are scalar: lanes from the device's
    /// `dot_product_lanes`, else the block size for block formats (32 for
    /// MX, 16 for NV); the device's multiplier, accumulator (with its kept
    /// bits) and the format's block scales. A binary (bit-decomposition)
    /// datapath keeps its own pricing.
    public func dotProductUnit(for format: NumberFormat) -> DotProductUnit? {
        guard model.datapath.multiplier != .binary else { return nil }
        var blockScale = DotProductUnit.BlockScale.none, blockSize = 1
        if case .block(let b) = format {
            blockSize = b.blockSize
            // A block format the datapath has no scale unit for keeps `.none` here: its block
            // partial sums are rescaled on the vector units, which `perMAC` adds.
            if model.datapath.blockScale.contains(b) {
                switch (b.rule, b.scale) {
                case (.absMax, .minifloat(let s)):
                    blockScale = .float(exponentBits: s.exponentBits, mantissaBits: s.mantissaBits)
                case (.absMax, .integer): blockScale = .float(exponentBits: 0, mantissaBits: b.scale.bitWidth)
                default: blockScale = .powerOfTwo
                }
            }
        }
        guard let lanes = model.datapath.dotProductLanes ?? (blockSize > 1 ? blockSize : nil) else { return nil }
        let operand: DotProductUnit.Operand
        switch format.elementFormat {
        case .integer(let i): operand = .integer(bits: i.bitWidth)
        case .minifloat(let f):
            operand = .float(exponentBits: f.exponentBits, mantissaBits: f.mantissaBits,
                             lmul: model.datapath.multiplier == .lmul)
        }
        let accumulator: DotProductUnit.AccumulatorKind, kept: Int?
        // The family may fix an integer accumulator for some formats (a GPU's integer MMAs sum into INT32).
        switch (model.datapath.accumulator, model.spec.integerAccumulatorBits(format)) {
        case (.integer(let bits, _), _), (.float, let bits?): (accumulator, kept) = (.integer(bits: bits), nil)
        case (.float(let f, let k), nil):
            (accumulator, kept) = (.float(exponentBits: f.exponentBits, mantissaBits: f.mantissaBits), k)
        }
        return DotProductUnit(lanes: lanes, operand: operand, accumulator: accumulator, blockScale: blockScale,
                              blockSize: blockSize, keptBits: kept)
    }
}
