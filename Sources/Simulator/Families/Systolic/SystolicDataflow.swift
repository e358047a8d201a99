/// The analytical model of a rows × columns systolic array, as SCALE-Sim v3
/// computes it: an op becomes a GEMM of M × K by K × N (M output pixels, K
/// the window, N filters), mapped by dataflow onto the array as
/// (spatial rows Sr, spatial columns Sc, temporal T):
///
/// | dataflow | Sr | Sc | T | cycles per fold |
/// |---|---|---|---|---|
/// | os | M | N | K | T + R + C − 2 |
/// | ws | K | N | M | T + 2R + C − 2 |
/// | is | K | M | N | T + 2R + C − 2 |
///
/// with ⌈Sr/R⌉·⌈Sc/C⌉ folds. These are the lengths of the demand matrices
/// SCALE-Sim's `systolic_compute_{os,ws,is}` generate (fill, drain and the
/// weight-load prefix included); the test suite checks them against
/// SCALE-Sim itself.
public enum SystolicModel {
    /// The operand a dataflow keeps in the PEs: outputs, weights or inputs.
    public enum Dataflow: String, Sendable, CaseIterable { case os, ws, `is` }

    /// Stall-free cycles of one M × N × K GEMM on an R × C array.
    public static func stallFreeCycles(m: Int, n: Int, k: Int, rows r: Int, columns c: Int,
                                       dataflow: Dataflow) -> Double {
        let (sr, sc, t): (Int, Int, Int)
        let perFold: Int
        switch dataflow {
        case .os: (sr, sc, t) = (m, n, k); perFold = t + r + c - 2
        case .ws: (sr, sc, t) = (k, n, m); perFold = t + 2 * r + c - 2
        case .is: (sr, sc, t) = (k, m, n); perFold = t + 2 * r + c - 2
        }
        let folds = Double((sr + r - 1) / r) * Double((sc + c - 1) / c)
        return folds * Double(perFold)
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
