import Hardware
import Workload

/// Maps matrix products onto a systolic array by dataflow and counts what
/// SCALE-Sim v3 counts (`ScaleSimModel`): stall-free cycles (SCALE-Sim's
/// `Total Cycles`), SRAM and DRAM accesses per operand, and stalls as the
/// busiest DRAM channel's shortfall. `best` tries the three dataflows per op
/// and keeps the fastest.
///
/// Channels: with `systolic.dram` each operand has its own channel and
/// bandwidth, as in SCALE-Sim; `mode: calc` is SCALE-Sim's CALC mode (the
/// bandwidth is whatever keeps the array busy: no stall). Without it the
/// three share the device's off-chip level, so the shortfall is all DRAM
/// bytes over its bandwidth. Words are operand elements: a buffer of B bytes
/// holds B·8/bits words of its operand's format. A grouped op (depthwise) is
/// `groups` layers, as SCALE-Sim runs it.
struct SystolicEngine: FamilyEngine {
    let spec: SystolicFamily
    let device: DeviceFigures
    /// The exact ifmap counts' step allowance (`ScaleSimMemory.exactCountSteps`). Not a hardware key: tests
    /// lower it to reach the estimate and its note without a layer that takes seconds to walk.
    var exactCountSteps = ScaleSimIfmapReplay.workLimit

    init(_ spec: SystolicFamily, _ device: DeviceFigures) {
        self.spec = spec
        self.device = device
    }

    static let dataflows: [SystolicModel.Dataflow] = [.os, .ws, .is]

    var skipsStructuredSparsity: Bool { spec.structuredSparsity }
    func denseSparsityReason(family: String) -> String {
        "its systolic.structured_sparsity is false (SCALE-Sim's SparsitySupport)"
    }

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

    /// SCALE-Sim's layer for the op: a convolution keeps its raw shape, which
    /// SCALE-Sim's DRAM counts need (im2col rows repeat input pixels).
    func layer(_ work: MatrixWork) -> ScaleSimLayer {
        let v = work.view
        var conv: ScaleSimLayer.Convolution?
        if case .conv2d(let c) = work.shape, c.dilation <= 1, let (p, q) = work.outputSize {
            conv = .init(h: c.h + 2 * c.padding, w: c.w + 2 * c.padding, r: c.r, s: c.s, c: c.c / max(1, c.groups),
                         stride: c.stride, p: p, q: q)
        }
        var layer = ScaleSimLayer(m: v.m, n: v.n, k: v.k, conv: conv)
        layer.sparsity = work.sparsity
        return layer
    }

    func timing(_ work: MatrixWork, _ dataflow: SystolicModel.Dataflow) -> Timing {
        let s = spec, v = work.view
        let bits = (input: work.inputBits, weight: work.weightBits, output: work.outputBits)
        let rate = work.macsPerCycle / Double(s.rows * s.columns)
        func words(_ bytes: Double, _ bits: Double) -> Int { max(1, Int(bytes * 8 / max(1, bits))) }
        let user = s.dram?.mode == .user
        let clock = device.hardware.clockHertz
        func perCycle(_ bytesPerSecond: Double, _ bits: Double) -> Int {
            max(1, Int((bytesPerSecond / clock * 8 / max(1, bits)).rounded(.down)))
        }
        var memory = ScaleSimMemory(
            mode: user ? .user : .calc,
            ifmapWords: words(s.ifmapBufferBytes, bits.input), filterWords: words(s.filterBufferBytes, bits.weight),
            ofmapWords: words(s.ofmapBufferBytes, bits.output),
            ifmapBandwidth: user ? perCycle(s.dram!.ifmap, bits.input) : 10,
            filterBandwidth: user ? perCycle(s.dram!.filter, bits.weight) : 10,
            ofmapBandwidth: user ? perCycle(s.dram!.ofmap, bits.output) : s.columns)
        memory.replayConvolutions = s.dram != nil
        memory.exactCountSteps = exactCountSteps
        let report = ScaleSimModel.report(layer(work), rows: s.rows, columns: s.columns, dataflow: dataflow,
                                          memory: memory)
        let g = Double(v.groups)
        let stallFree = g * Double(report.cycles - report.stallCycles) / rate
        let dramBytes = (Double(report.dramIfmapReads) * bits.input + Double(report.dramFilterReads) * bits.weight
            + Double(report.dramOfmapWrites) * bits.output) / 8 * g
        let sramBytes = (Double(report.sramIfmapReads) * bits.input + Double(report.sramFilterReads) * bits.weight
            + Double(report.sramOfmapWrites) * bits.output) / 8 * g
        let memoryCycles: Double
        switch s.dram?.mode {
        case .calc?: memoryCycles = 0
        case .user?: memoryCycles = g * Double(report.cycles)   // the busiest channel, from the model
        case nil: memoryCycles = dramBytes / device.offChipBytesPerCycle
        }
        let cycles = max(stallFree, memoryCycles)
        var access = SystolicAccess()
        access.sramIfmapReads = g * Double(report.sramIfmapReads)
        access.sramFilterReads = g * Double(report.sramFilterReads)
        access.sramOfmapWrites = g * Double(report.sramOfmapWrites)
        access.dramIfmapReads = g * Double(report.dramIfmapReads)
        access.dramFilterReads = g * Double(report.dramFilterReads)
        access.dramOfmapWrites = g * Double(report.dramOfmapWrites)
        access.cyclesInclPrefetch = cycles + g * Double(report.cyclesInclPrefetch - report.cycles)
        access.ifmapReadsEstimated = report.ifmapReadsEstimated
        var t = Timing(computeCycles: stallFree, memoryCycles: memoryCycles, cycles: cycles, offChipBytes: dramBytes,
                       onChipBytes: sramBytes, overheadSeconds: 0, mapping: Mapping(scheme: 1, dataflow.index))
        t.access = access
        return t
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
