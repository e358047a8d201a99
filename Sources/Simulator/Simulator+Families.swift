import Arithmetic
import Documents
import Formats
import Hardware

extension Simulator {
    /// Timing of a matrix product on the device's family.
    func matrixTiming(_ v: GEMMView, macsPerCycle: Double, sustained: Double, weightBytes: Double, inputBytes: Double,
                      outputBytes: Double) -> Timing {
        let unique = weightBytes + inputBytes + outputBytes
        switch hardware.details {
        case .systolic(let s):
            // `simulate` times systolic arrays with `systolicTiming` (SCALE-Sim's counts); this is its
            // stall-free core for callers without the op: each operand moved once.
            let layer = ScaleSimLayer(m: v.m, n: v.n, k: v.k)
            let rows = ScaleSimModel.demandRows(layer, rows: s.rows, columns: s.columns, dataflow: s.dataflow)
            let compute = Double(v.groups) * Double(rows - 1) / (macsPerCycle / Double(s.rows * s.columns))
            return overlap(compute: compute, offChip: unique, onChip: unique * 2, overhead: 0)
        case .gpu(let g):
            return gpuTiming(v, sms: g.streamingMultiprocessors, launchOverheadSeconds: g.launchOverheadSeconds,
                             macsPerCycle: macsPerCycle, sustained: sustained, weightBytes: weightBytes,
                             inputBytes: inputBytes, outputBytes: outputBytes)
        case .fpga:
            // A pipelined MAC array: one pass of the reduction fills the pipeline once per op.
            let macs = Double(v.groups) * Double(v.m) * Double(v.n) * Double(v.k)
            let fill = Double(v.k).squareRoot().rounded(.up) + 10   // estimate: adder-tree depth plus I/O registers
            return overlap(compute: macs / macsPerCycle + fill, offChip: unique, onChip: unique * 2, overhead: 0)
        case .dsp(let d):
            // VLIW: loads issue in other slots, so compute and memory overlap; one slot in four is bookkeeping.
            let macs = Double(v.groups) * Double(v.m) * Double(v.n) * Double(v.k)
            let slots = Double(d.vliwSlots)
            let efficiency = slots > 1 ? (slots - 1) / slots + 1 / slots : 1
            return overlap(compute: macs / macsPerCycle / efficiency, offChip: unique, onChip: unique * 2, overhead: 0)
        }
    }

    func overlap(compute: Double, offChip: Double, onChip: Double, overhead: Double) -> Timing {
        let memory = offChip / offChipBytesPerCycle
        return Timing(computeCycles: compute, memoryCycles: memory, cycles: max(compute, memory), offChipBytes: offChip,
                      onChipBytes: onChip, overheadSeconds: overhead)
    }

    /// GEMMs tiled onto SMs: for each CTA tile the library offers, waves of
    /// CTAs (one per SM at a time), padded tiles, split-K when there are
    /// fewer tiles than SMs (as decode GEMV kernels do), the sustained
    /// tensor-core rate, and operand traffic. HBM reads each operand once
    /// when both fit L2; otherwise each wave — a block of about √SMs × √SMs
    /// tiles, as swizzled rasterization arranges them — reads its own A and
    /// B panels. L2 serves every tile its panels. The fastest tile wins;
    /// compute and memory overlap.
    ///
    /// `sustained` is the fraction of the dense rate the device sustains in
    /// the compute format (`GPUSpec.sustainedFraction`).
    func gpuTiming(_ v: GEMMView, sms: Int, launchOverheadSeconds: Double, macsPerCycle: Double, sustained: Double,
                   weightBytes: Double, inputBytes: Double, outputBytes: Double) -> Timing {
        let perSM = macsPerCycle / Double(sms) * sustained
        let unique = inputBytes + weightBytes + outputBytes
        var best: Timing?
        let fitsL2 = inputBytes + weightBytes <= l2Capacity
        // Integer divisions by the tile sides are shifts (the tiles are powers
        // of two); this loop runs for every tile of every matrix op.
        for tile in gpuTiles {
            let (tm, tn, tk) = (tile.m, tile.n, tile.k)
            let tilesM = tile.ceilDivM(v.m), tilesN = tile.ceilDivN(v.n)
            let ctas = v.groups * tilesM * tilesN
            let kSteps = tile.ceilDivK(v.k)
            let split = ctas < sms ? max(1, min(sms / max(ctas, 1), kSteps)) : 1
            let waves = Double((ctas * split + sms - 1) / sms)
            let kPerCTA = Double((split == 1 ? kSteps : (kSteps + split - 1) / split) * tk)
            let compute = waves * Double(tm * tn) * kPerCTA / perSM
            let weightCopies = Double(v.sharedWeights ? 1 : v.groups)
            var offChip = unique
            if !fitsL2 {
                let aPanel = inputBytes / Double(v.groups * tilesM), bPanel = weightBytes / (Double(tilesN) * weightCopies)
                let blockM = min(tilesM, gpuWaveSide)
                let blockN = Double(min(tilesN, gpuWaveBlockN[blockM]))
                let streamed = waves / Double(split) * (Double(blockM) * aPanel + blockN * bPanel) + outputBytes
                offChip = max(unique, streamed)
            }
            let onChip = inputBytes * Double(tilesN) + weightBytes * Double(tilesM) * Double(v.groups) / weightCopies
                + outputBytes * Double(split)
            let memory = max(offChip / offChipBytesPerCycle, onChip / l2BytesPerCycle)
            let t = Timing(computeCycles: compute, memoryCycles: memory, cycles: max(compute, memory), offChipBytes: offChip,
                           onChipBytes: onChip, overheadSeconds: launchOverheadSeconds)
            if best == nil || t.cycles < best!.cycles { best = t }
        }
        return best!
    }

    /// The MAC array sized for the format that did most of the work, plus
    /// on-chip memories at 0.346 µm² per bit at 45 nm (Intel's 45 nm 6T cell,
    /// Mistry et al., IEDM 2007) × 1.5 for periphery (estimate), node-scaled.
    func area(for results: [OpResult]) -> Double {
        // A handful of compute formats per run: parallel arrays and a linear
        // scan, no hashing, and fields read in place rather than results copied.
        var formats: [String] = [], macs: [Double] = []
        var last = -1
        for i in results.indices where results[i].kind.isMatrixProduct {
            if last < 0 || formats[last] != results[i].computeFormat {
                last = formats.firstIndex(of: results[i].computeFormat) ?? -1
                if last < 0 { formats.append(results[i].computeFormat); macs.append(0); last = formats.count - 1 }
            }
            macs[last] += results[i].macs
        }
        // Most MACs; on a tie, the name first in code-point order.
        let main = zip(formats, macs).max { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 > $1.0 }?.0
        let array = main.map { cost.arrayAreaSquareMillimetres($0) } ?? 0
        let onChipBits = hardware.memory.filter { !$0.kind.isOffChip }.reduce(0) { $0 + $1.capacityBytes * 8 }
        let memory = onChipBits * 0.346 * 1.5 * hardware.technology.areaFactor * 1e-6
        return array + memory
    }
}

/// A GPU CTA tile (M × N × K) with the shifts that divide by its sides
/// when they are powers of two (every shipped tile), so that ⌈x / side⌉
/// costs a shift rather than an integer division.
struct CTATile {
    let m: Int, n: Int, k: Int
    private let shiftM: Int, shiftN: Int, shiftK: Int

    init(m: Int, n: Int, k: Int) {
        (self.m, self.n, self.k) = (m, n, k)
        func shift(_ side: Int) -> Int { side > 0 && side & (side - 1) == 0 ? side.trailingZeroBitCount : -1 }
        (shiftM, shiftN, shiftK) = (shift(m), shift(n), shift(k))
    }

    /// ⌈x / side⌉ for x ≥ 0 (the same value as `(x + side − 1) / side`).
    @inline(__always) static func ceilDiv(_ x: Int, _ side: Int, _ shift: Int) -> Int {
        shift >= 0 ? (x + side - 1) >> shift : (x + side - 1) / side
    }
    @inline(__always) func ceilDivM(_ x: Int) -> Int { Self.ceilDiv(x, m, shiftM) }
    @inline(__always) func ceilDivN(_ x: Int) -> Int { Self.ceilDiv(x, n, shiftN) }
    @inline(__always) func ceilDivK(_ x: Int) -> Int { Self.ceilDiv(x, k, shiftK) }
}
