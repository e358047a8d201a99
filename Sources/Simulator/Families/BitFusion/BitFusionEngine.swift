import Hardware

/// Matrix products on a Bit Fusion array: units fused for the op's own
/// weight and input widths, laid out weight-stationary (K along the rows,
/// N along the columns) as SCALE-Sim times a systolic array, with each unit
/// taking as many reduction steps per cycle as it has fused multipliers.
struct BitFusionEngine: FamilyEngine {
    let spec: BitFusionFamily
    let device: DeviceFigures
    /// Bytes of one partial sum: the accumulator's width.
    var partialSumBytes: Double {
        if case .integer(let bits, _) = device.hardware.datapath.accumulator { return Double(bits) / 8 }
        return 4
    }

    func matrix(_ work: MatrixWork) -> Timing {
        let v = work.view
        let w = Int(work.weightBits.rounded(.up)), a = Int(work.inputBits.rounded(.up))
        let perUnit = spec.macsPerUnit(weightBits: w, inputBits: a)
        let fused = max(1, Int(perUnit.rounded(.down)))
        let passes = perUnit < 1 ? (1 / perUnit).rounded(.up) : 1
        // Each unit reduces `fused` products of one output per cycle: K shrinks by that factor.
        let k = (v.k + fused - 1) / fused
        let compute = passes * Double(v.groups)
            * SystolicModel.stallFreeCycles(m: v.m, n: v.n, k: k, rows: spec.rows, columns: spec.columns,
                                            dataflow: .ws)
        // Weight-stationary traffic: inputs are re-read once per column fold when
        // they overflow their buffer; the partial sums of a column fold stay in the
        // output buffer across K folds, so the mapper tiles M to fit it and reloads
        // the weight tiles once per M tile when the weights overflow theirs.
        let kFolds = (k + spec.rows - 1) / spec.rows
        let colFolds = Double((v.n + spec.columns - 1) / spec.columns)
        let inFlight = Double(v.m) * Double(min(v.n, spec.columns)) * partialSumBytes
        let mTiles = kFolds > 1 ? max(1, (inFlight / spec.ofmapBufferBytes).rounded(.up)) : 1
        let input = work.inputBytes, weight = work.weightBytes
        let offChip = (input > spec.ifmapBufferBytes ? input * colFolds : input)
            + (weight > spec.filterBufferBytes ? weight * mTiles : weight) + work.outputBytes
        let onChip = input * colFolds + weight * mTiles + work.outputBytes
        return device.overlap(compute: compute, offChip: offChip, onChip: onChip,
                              mapping: Mapping(scheme: 5, w, a, Int(mTiles)))
    }

    func describe(_ mapping: Mapping) -> String {
        let w = Int(mapping.values[0]), a = Int(mapping.values[1])
        let perUnit = spec.macsPerUnit(weightBits: w, inputBits: a)
        let tiles = Int(mapping.values[2])
        return "fused w\(w)a\(a) (\(trimmedNumber(perUnit)) MACs/unit)" + (tiles > 1 ? ", \(tiles) M tiles" : "")
    }
}
