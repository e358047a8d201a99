import Formats

/// LUT cost of one MAC built in FPGA fabric, for formats that do not fit a
/// DSP slice (or when a design spends LUTs on more MACs).
///
/// - Integer W × A: FINN's multiplier estimate (2⌈(W+A)/6⌉ − 1)·(W+A) LUTs
///   (Xilinx/finn `matrixvectoractivation_hls.py`) plus one LUT per
///   accumulator bit (a carry chain).
/// - Minifloat ExMy × ExMy: the significand product by the same estimate on
///   M+1 bits, an (E+1)-bit exponent adder, an alignment shifter of the
///   2(M+1)-bit product over E+1 stages (one LUT per bit per stage), and a
///   conditional negation of the aligned sign-magnitude product (one LUT
///   per aligned bit; integer products come out signed), and a fixed-point
///   accumulator wide enough for the whole exponent range
///   (2^(E+1) + 2(M+1) + log2 K bits). Exact accumulation of minifloat
///   products is what makes them cost more LUTs than integers of the same
///   width — the direction the minifloats-on-FPGAs studies report.
/// This is a structural estimate, not a synthesis result.
public enum FPGAResources {
    /// FINN's LUT estimate for a W-bit × A-bit multiplier.
    public static func multiplierLUTs(_ w: Int, _ a: Int) -> Int {
        (2 * ((w + a + 5) / 6) - 1) * (w + a)
    }

    /// LUTs of one MAC of `format` with a `reductionLength`-long accumulation.
    public static func lutsPerMAC(_ format: NumberFormat, reductionLength k: Int = 4096) -> Int {
        let log2K = Int.bitWidth - (max(k, 2) - 1).leadingZeroBitCount
        switch format.elementFormat {
        case .integer(let i):
            let bits = i.bitWidth
            return multiplierLUTs(bits, bits) + (2 * bits + log2K)
        case .minifloat(let f):
            let p = f.mantissaBits + 1, e = f.exponentBits
            let shifter = 2 * p * (e + 1)
            let aligned = (1 << (e + 1)) + 2 * p
            return multiplierLUTs(p, p) + (e + 1) + shifter + aligned + (aligned + log2K)
        }
    }

    /// Flip-flops of one pipelined LUT MAC: a register on the product (2W
    /// bits, or the aligned significand for minifloats) and on the
    /// accumulator — an estimate of a two-stage pipeline, not a synthesis result.
    public static func flipFlopsPerMAC(_ format: NumberFormat, reductionLength k: Int = 4096) -> Int {
        let log2K = Int.bitWidth - (max(k, 2) - 1).leadingZeroBitCount
        switch format.elementFormat {
        case .integer(let i):
            return 2 * i.bitWidth + (2 * i.bitWidth + log2K)
        case .minifloat(let f):
            let aligned = (1 << (f.exponentBits + 1)) + 2 * (f.mantissaBits + 1)
            return aligned + (aligned + log2K)
        }
    }
}
