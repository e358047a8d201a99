import Hardware

/// USER mode (`InterfaceBandwidth: USER`): each operand's DRAM channel has
/// its own bandwidth, and the read buffers (`read_buffer.read_buffer`)
/// fetch the operand's prefetch matrix in order, as a ring: the active
/// half serves the array while the other half is refilled, one
/// ⌈half / bandwidth⌉-line chunk at a time (`new_prefetch`), whenever a
/// demanded word is not in the active half. An operand that fits the
/// active half is fetched once; one that does not is swept again each time
/// the folds come back to it (ifmap row blocks once per column fold in os,
/// and so on: `OperandVisits`).
///
/// The channels run in parallel, so the array stalls until the busiest
/// one has moved its words: total cycles are the larger of the stall-free
/// cycles and that channel's words over its bandwidth, the first fill
/// (before cycle 0) excluded.
enum ScaleSimUserMode {
    struct Channel {
        var reads: Int, firstFill: Int
    }

    /// DRAM words one read buffer moves for an operand's fold visits.
    static func channel(_ v: OperandVisits, bufferWords: Int, bandwidth: Int) -> Channel {
        let bw = max(1, bandwidth)
        let active = (bufferWords + 1) / 2, prefetch = bufferWords - active
        let chunk = max(1, ScaleSimModel.ceilDiv(prefetch, bw)) * bw
        let size = v.blockSizes.reduce(0, +)
        // Words swept: a pass per visit of data the active half cannot hold at once.
        var swept: Int
        switch v.walk {
        case .once: swept = size
        case .cycle(let outer): swept = size <= active ? size : size * outer
        case .repeatEach(let times):
            swept = v.blockSizes.reduce(0) { $0 + ($1 <= active ? $1 : $1 * times) }
        }
        let firstFill = ScaleSimModel.ceilDiv(min(active, size), bw) * bw
        let refills = swept > active ? ScaleSimModel.ceilDiv(swept - active, max(1, prefetch)) : 0
        return Channel(reads: firstFill + refills * chunk, firstFill: firstFill)
    }

    static func report(_ l: ScaleSimLayer, r: Int, c: Int, df: SystolicSpec.Dataflow, memory: ScaleSimMemory,
                       demandRows: Int, sram: (ifmap: Int, filter: Int, ofmap: Int),
                       visits: ScaleSimVisits) -> ScaleSimReport {
        let stallFree = demandRows - 1
        let ifmap = channel(visits.ifmap, bufferWords: memory.ifmapWords, bandwidth: memory.ifmapBandwidth)
        let filter = channel(visits.filter, bufferWords: memory.filterWords, bandwidth: memory.filterBandwidth)
        let ofmap = WriteBuffer(words: memory.ofmapWords, bandwidth: memory.ofmapBandwidth)
            .drain(elements: visits.ofmapElements, lastCycle: stallFree)
        func cycles(_ words: Int, _ bw: Int) -> Int { ScaleSimModel.ceilDiv(words, max(1, bw)) }
        let busiest = max(cycles(ifmap.reads - ifmap.firstFill, memory.ifmapBandwidth),
                          cycles(filter.reads - filter.firstFill, memory.filterBandwidth),
                          cycles(ofmap.writes, memory.ofmapBandwidth))
        let total = max(stallFree, busiest)
        let prefetch = max(cycles(ifmap.firstFill, memory.ifmapBandwidth), cycles(filter.firstFill, memory.filterBandwidth))
        let drainTail = total > stallFree ? 0 : max(0, ofmap.stop - stallFree)
        return ScaleSimReport(
            cycles: total, cyclesInclPrefetch: total + prefetch + drainTail, stallCycles: total - stallFree,
            sramIfmapReads: sram.ifmap, sramFilterReads: sram.filter, sramOfmapWrites: sram.ofmap,
            dramIfmapReads: ifmap.reads, dramFilterReads: filter.reads, dramOfmapWrites: ofmap.writes,
            averageDRAMIfmapBandwidth: Double(ifmap.reads) / Double(max(1, total + prefetch)),
            averageDRAMFilterBandwidth: Double(filter.reads) / Double(max(1, total + prefetch)),
            averageDRAMOfmapBandwidth: Double(ofmap.writes) / Double(max(1, total + drainTail)))
    }
}
