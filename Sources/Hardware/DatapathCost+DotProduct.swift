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
        switch model.datapath.accumulator {
        case .integer(let bits, _): (accumulator, kept) = (.integer(bits: bits), nil)
        case .float where Self.accumulatesInInt32(format, family: model.family):
            (accumulator, kept) = (.integer(bits: 32), nil)
        case .float(let f, let k): (accumulator, kept) = (.float(exponentBits: f.exponentBits, mantissaBits: f.mantissaBits), k)
        }
        return DotProductUnit(lanes: lanes, operand: operand, accumulator: accumulator, blockScale: blockScale,
                              blockSize: blockSize, keptBits: kept)
    }

    /// Whether a MAC of `format` sums into a 32-bit integer although the
    /// file's accumulator is FP: scalar integer operands (binary included)
    /// on a GPU, whose integer MMAs accumulate in INT32 while its float ones
    /// use the file's FP accumulator (NVIDIA A100 whitepaper, Table 2 and the
    /// INT8/INT4/binary Tensor Core operations: "INT32 accumulate"; PTX ISA,
    /// `mma` with `.s8`/`.u4`/`.b1` operands takes only `.s32` C and D; AMD
    /// CDNA 3 ISA, `V_MFMA_I32_*`). Block formats keep the FP accumulator
    /// their partial sums are rescaled into; other families keep the file's.
    static func accumulatesInInt32(_ format: NumberFormat, family: String) -> Bool {
        guard family == "gpu", case .scalar(.integer) = format else { return false }
        return true
    }
}
