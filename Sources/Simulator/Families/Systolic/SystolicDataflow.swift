/// The analytical model of a rows × columns systolic array, as SCALE-Sim v3
/// computes it: an op becomes a GEMM of M × K by K × N (M output pixels, K
/// the window, N filters), mapped by dataflow onto the array as
/// (spatial rows Sr, spatial columns Sc, temporal T):
///
/// | dataflow | Sr | Sc | T | demand rows per fold |
/// |---|---|---|---|---|
/// | os | M | N | K | T + R + C − 2 |
/// | ws | K | N | M | T + 2R + C − 2 |
/// | is | K | M | N | T + 2R + C − 2 |
///
/// with ⌈Sr/R⌉·⌈Sc/C⌉ folds. SCALE-Sim's `Total Cycles` is the index of
/// the last demand row serviced, one less than their count
/// (`double_buffered_scratchpad.service_memory_requests`). The memory side
/// is `ScaleSimModel`; the test suite checks both against SCALE-Sim's
/// reports.
public enum SystolicModel {
    /// The operand a dataflow keeps in the PEs: outputs, weights or inputs.
    public enum Dataflow: String, Sendable, CaseIterable { case os, ws, `is` }

    /// Stall-free cycles of one M × N × K GEMM on an R × C array: SCALE-Sim's CALC-mode `Total Cycles`.
    public static func stallFreeCycles(m: Int, n: Int, k: Int, rows r: Int, columns c: Int,
                                       dataflow: Dataflow) -> Double {
        Double(ScaleSimModel.demandRows(ScaleSimLayer(m: m, n: n, k: k), rows: r, columns: c, dataflow: dataflow) - 1)
    }

    /// Fraction of PEs mapped, averaged over folds (SCALE-Sim's mapping efficiency).
    public static func mappingEfficiency(m: Int, n: Int, k: Int, rows r: Int, columns c: Int,
                                         dataflow: Dataflow) -> Double {
        let (sr, sc): (Int, Int)
        switch dataflow {
        case .os: (sr, sc) = (m, n)
        case .ws: (sr, sc) = (k, n)
        case .is: (sr, sc) = (k, m)
        }
        let folds = Double((sr + r - 1) / r) * Double((sc + c - 1) / c)
        return Double(sr) * Double(sc) / (folds * Double(r * c))
    }
}
