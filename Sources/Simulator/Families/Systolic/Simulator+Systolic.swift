import Hardware
import Workload

extension Simulator {
    /// A matrix product on a systolic array, as SCALE-Sim v3 counts it
    /// (`ScaleSimModel`): stall-free cycles (SCALE-Sim's `Total Cycles`),
    /// its SRAM and DRAM accesses per operand, and stalls as the busiest
    /// DRAM channel's shortfall.
    ///
    /// Channels: with `systolic.dram` each operand has its own channel and
    /// bandwidth, as in SCALE-Sim; `mode: calc` is SCALE-Sim's CALC mode
    /// (the bandwidth is whatever keeps the array busy: no stall). Without
    /// it the three share the device's off-chip level, so the shortfall is
    /// all DRAM bytes over its bandwidth.
    ///
    /// Words are operand elements: a buffer of B bytes holds B·8/bits
    /// words of its operand's format. A grouped op (depthwise) is `groups`
    /// layers, as SCALE-Sim runs it.
    func systolicTiming(_ v: GEMMView, op: Op, spec s: SystolicSpec, macsPerCycle: Double,
                        bits: (input: Double, weight: Double, output: Double)) -> Timing {
        let rate = macsPerCycle / Double(s.rows * s.columns)
        var conv: ScaleSimLayer.Convolution?
        if op.kind == .conv2d, op[.dilation] <= 1, let (p, q) = try? op.outputSize() {
            let pad = 2 * op[.padding]
            conv = .init(h: op[.h] + pad, w: op[.w] + pad, r: op[.r], s: op[.s], c: op[.c] / max(1, op[.groups]),
                         stride: op[.stride], p: p, q: q)
        }
        let layer = ScaleSimLayer(m: v.m, n: v.n, k: v.k, conv: conv)
        func words(_ bytes: Double, _ bits: Double) -> Int { max(1, Int(bytes * 8 / max(1, bits))) }
        let user = s.dram.map { $0.mode == .user } ?? false
        let perCycle = { (bytesPerSecond: Double, bits: Double) in
            max(1, Int((bytesPerSecond / self.hardware.clockHertz * 8 / max(1, bits)).rounded(.down)))
        }
        let memory = ScaleSimMemory(
            mode: user ? .user : .calc,
            ifmapWords: words(s.ifmapBufferBytes, bits.input), filterWords: words(s.filterBufferBytes, bits.weight),
            ofmapWords: words(s.ofmapBufferBytes, bits.output),
            ifmapBandwidth: user ? perCycle(s.dram!.ifmap, bits.input) : 10,
            filterBandwidth: user ? perCycle(s.dram!.filter, bits.weight) : 10,
            ofmapBandwidth: user ? perCycle(s.dram!.ofmap, bits.output) : s.columns)
        let report = ScaleSimModel.report(layer, rows: s.rows, columns: s.columns, dataflow: s.dataflow, memory: memory)
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
        case nil: memoryCycles = dramBytes / offChipBytesPerCycle
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
        access.mapping = s.dataflow.rawValue
        return Timing(computeCycles: stallFree, memoryCycles: memoryCycles, cycles: cycles, offChipBytes: dramBytes,
                      onChipBytes: sramBytes, overheadSeconds: 0, access: access)
    }
}
