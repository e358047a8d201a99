import Foundation
import Hardware
import Simulator
import Synchronization
import Workload

/// The numerics of sweep points, cached: a trace's MAC-weighted weight and
/// output QSNR depend only on the device's arithmetic (multiplier,
/// accumulator, promotion interval, lanes), the formats it executes, the
/// trace and the plan — not on the array size, dataflow, clock or memories —
/// so a sweep emulates each (arithmetic, formats, K) once, as `simulate
/// --json` does (K rounded to the nearest power of two, at most 2^16; 32
/// seeded dot products, `DeviceNumerics`). Shared by every task; a value two
/// tasks compute at once is computed twice, identically.
final class SweepNumerics: Sendable {
    struct Totals: Sendable { var weightQSNR: Double; var outputQSNR: Double }
    private let totals = Mutex<[String: Totals?]>([:])
    private let studies = Mutex<[String: Totals?]>([:])

    /// The key of a device's arithmetic: what `DeviceNumerics` reads, the formats it executes, and those
    /// its family accumulates exactly (an FPGA's LUT-built minifloats, not its DSP-packed formats).
    static func arithmeticKey(_ model: HardwareModel) -> String {
        let d = model.datapath
        return "\(d.multiplier)|\(d.accumulator)|\(d.promotionInterval ?? 0)|\(d.dotProductLanes ?? 0)|"
            + model.spec.executableFormats(d).map(\.name).joined(separator: ",") + "|exact:"
            + model.spec.executableFormats(d).filter(model.spec.accumulatesExactly).map(\.name).joined(separator: ",")
    }

    /// The totals of `result` (trace `trace` under plan `plan` on `model`), nil where nothing is emulated.
    func totals(_ result: SimulationResult, model: HardwareModel, key: String, lengths: [Int]) -> Totals? {
        if let hit = totals.withLock({ $0[key] }) { return hit }
        let numerics = DeviceNumerics(model: model)
        let arithmetic = Self.arithmeticKey(model)
        var weighted = (w: 0.0, o: 0.0, macs: 0.0)
        for (i, op) in result.ops.enumerated() {
            let k = i < lengths.count ? lengths[i] : 0
            guard op.kind.isMatrixProduct, op.macs > 0, k > 0 else { continue }
            let roles = result.formats(of: op)
            let input = roles.input ?? op.computeFormat, weight = roles.weight ?? input
            let bucket = min(1 << Int(log2(Double(k)).rounded()), 1 << 16)
            let studyKey = "\(arithmetic)|\(weight)|\(input)|\(bucket)"
            let figures: Totals?
            if let hit = studies.withLock({ $0[studyKey] }) { figures = hit } else {
                figures = numerics.errors(weightFormat: weight, inputFormat: input, length: bucket).map {
                    Totals(weightQSNR: $0.weight.qsnrDecibels, outputQSNR: $0.output.qsnrDecibels)
                }
                studies.withLock { $0[studyKey] = figures }
            }
            guard let f = figures else { continue }
            weighted.w += op.macs * pow(10, -f.weightQSNR / 10)
            weighted.o += op.macs * pow(10, -f.outputQSNR / 10)
            weighted.macs += op.macs
        }
        let value = weighted.macs > 0
            ? Totals(weightQSNR: -10 * log10(weighted.w / weighted.macs),
                     outputQSNR: -10 * log10(weighted.o / weighted.macs))
            : nil
        totals.withLock { $0[key] = value }
        return value
    }

    /// K = MACs / outputs of an op (its reduction length), 0 when it has none.
    static func reductionLength(_ op: Op) -> Int { op.reductionLength }
}
