import Hardware

/// Maps matrix products onto a systolic array by dataflow (SCALE-Sim's
/// closed forms, `SystolicModel`) and counts their buffer traffic.
struct SystolicEngine: FamilyEngine {
    let spec: SystolicFamily
    let device: DeviceFigures
    /// Bytes of one partial sum: the accumulator's width.
    let partialSumBytes: Double

    init(_ spec: SystolicFamily, _ device: DeviceFigures) {
        self.spec = spec
        self.device = device
        switch device.hardware.datapath.accumulator {
        case .integer(let bits, _): partialSumBytes = Double(bits) / 8
        case .float(let f, _): partialSumBytes = Double(f.bitWidth) / 8
        }
    }

    static let dataflows: [SystolicModel.Dataflow] = [.os, .ws, .is]

    func matrix(_ work: MatrixWork) -> Timing {
        switch spec.dataflow {
        case .os: return timing(work, .os)
        case .ws: return timing(work, .ws)
        case .is: return timing(work, .is)
        case .best:
            // The fastest of the three; on a tie, the first of os, ws, is.
            var best = timing(work, .os)
            for dataflow in Self.dataflows.dropFirst() {
                let t = timing(work, dataflow)
                if t.cycles < best.cycles { best = t }
            }
            return best
        }
    }

    /// One repetition under one dataflow.
    ///
    /// Off-chip traffic: each operand once, unless it overflows its buffer;
    /// then it is re-fetched for every fold of the other dimension (SCALE-Sim's
    /// read buffers). Under ws and is the partial sums of the outputs in
    /// flight stay in the ofmap buffer between reduction (K) folds; when they
    /// do not fit, every fold after the first writes them out and reads them
    /// back (2·(K folds − 1) transfers of accumulator-wide partial sums).
    func timing(_ work: MatrixWork, _ dataflow: SystolicModel.Dataflow) -> Timing {
        let v = work.view, r = spec.rows, c = spec.columns
        let rate = work.macsPerCycle / Double(r * c)
        let compute = Double(v.groups) * SystolicModel.stallFreeCycles(m: v.m, n: v.n, k: v.k, rows: r, columns: c,
                                                                     dataflow: dataflow) / rate
        let rowFolds = Double((v.m + r - 1) / r), colFolds = Double((v.n + c - 1) / c)
        let input = work.inputBytes, weight = work.weightBytes
        var offChip = (input > spec.ifmapBufferBytes ? input * colFolds : input)
            + (weight > spec.filterBufferBytes ? weight * rowFolds : weight) + work.outputBytes
        if dataflow != .os {
            let kFolds = Double((v.k + r - 1) / r)
            // Outputs in flight: T rows of one column fold (ws: M × C; is: N × C).
            let inFlight = Double(dataflow == .ws ? v.m : v.n) * Double(min(dataflow == .ws ? v.n : v.m, c))
            if kFolds > 1, inFlight * partialSumBytes > spec.ofmapBufferBytes {
                offChip += 2 * (kFolds - 1) * Double(v.groups) * Double(v.m) * Double(v.n) * partialSumBytes
            }
        }
        let onChip = input * colFolds + weight * rowFolds + work.outputBytes
        return device.overlap(compute: compute, offChip: offChip, onChip: onChip,
                              mapping: Mapping(scheme: 1, dataflow.index))
    }

    func describe(_ mapping: Mapping) -> String {
        let name = Self.dataflows[Int(mapping.values[0])].rawValue
        return spec.dataflow == .best ? "best: " + name : name
    }
}

extension SystolicModel.Dataflow {
    var index: Int {
        switch self {
        case .os: 0
        case .ws: 1
        case .is: 2
        }
    }
}
