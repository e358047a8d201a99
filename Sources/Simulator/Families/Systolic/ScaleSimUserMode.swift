import Hardware

/// USER mode (`InterfaceBandwidth: USER`): each operand's DRAM channel has
/// its own bandwidth (`single_layer_sim.run`: ifmap and filter from
/// `IfmapSRAMBankBandwidth`/`FilterSRAMBankBandwidth`, ofmap from
/// `Bandwidth`).
///
/// A read buffer (`read_buffer.read_buffer`) holds its operand's prefetch
/// matrix, in fold order, as a ring of sets of ⌈words/100⌉ elements
/// (`prepare_hashed_buffer`). Its active window is the first 50 sets; a
/// demanded word outside it moves the window forward — never back — by
/// the prefetch half (`new_prefetch`), fetching ⌈half / bandwidth⌉ lines
/// of `bandwidth` words. So a sweep re-fetches what it covers, and coming
/// back to a block the window has passed costs a trip round the ring
/// (`OperandVisits` says which blocks each fold reads).
///
/// The channels run in parallel; the array waits for the busiest: total
/// cycles are the larger of the stall-free cycles and the busiest read
/// channel's prefetch time (one cycle per line, plus the port's cycle per
/// prefetch), or the ofmap's write-back beyond what its buffer absorbs.
enum ScaleSimUserMode {
    struct Channel {
        /// DRAM words fetched (whole lines, padding included, as `num_access` counts them).
        var reads: Int
        /// Cycles the channel is busy after the first fill (before cycle 0).
        var busy: Int
        var firstFill: Int
    }

    static func channel(_ v: OperandVisits, prefetchWords: Int, bufferWords: Int, bandwidth: Int) -> Channel {
        let bw = max(1, bandwidth)
        let perSet = max(1, ScaleSimModel.ceilDiv(bufferWords, 100))
        let activeWords = (bufferWords + 1) / 2, prefetchHalf = bufferWords - activeWords
        let valid = v.blockSizes.reduce(0, +)
        let sets = valid / perSet + 1
        let activeSets = min(sets, ScaleSimModel.ceilDiv(activeWords, perSet))
        let step = min(sets - activeSets, ScaleSimModel.ceilDiv(prefetchHalf, perSet))
        let firstFill = min(ScaleSimModel.ceilDiv(activeWords, bw), ScaleSimModel.ceilDiv(prefetchWords, bw)) * bw
        guard step > 0 else { return Channel(reads: firstFill, busy: 0, firstFill: firstFill) }
        var starts: [Int] = [], offset = 0
        for size in v.blockSizes { starts.append(offset); offset += size }
        var window = 0, advances = 0
        func reach(_ set: Int) {
            let d = ((set - window) % sets + sets) % sets
            guard d >= activeSets else { return }
            let k = ScaleSimModel.ceilDiv(d - activeSets + 1, step)
            advances += k
            window = (window + k * step) % sets
        }
        func visit(_ b: Int) {
            guard v.blockSizes[b] > 0 else { return }
            reach(starts[b] / perSet)
            reach((starts[b] + v.blockSizes[b] - 1) / perSet)
        }
        switch v.walk {
        case .once: for b in v.blockSizes.indices { visit(b) }
        case .cycle(let outer): for _ in 0..<outer { for b in v.blockSizes.indices { visit(b) } }
        case .repeatEach(let times): for b in v.blockSizes.indices { for _ in 0..<times { visit(b) } }
        }
        let lines = ScaleSimModel.ceilDiv(prefetchHalf, bw)
        return Channel(reads: firstFill + advances * lines * bw, busy: advances * (lines + 1), firstFill: firstFill)
    }

    static func report(_ l: ScaleSimLayer, r: Int, c: Int, df: SystolicSpec.Dataflow, memory: ScaleSimMemory,
                       demandRows: Int, sram: (ifmap: Int, filter: Int, ofmap: Int),
                       visits: ScaleSimVisits) -> ScaleSimReport {
        let stallFree = demandRows - 1
        let ifmap = channel(visits.ifmap, prefetchWords: visits.ifmapPrefetchWords, bufferWords: memory.ifmapWords,
                            bandwidth: memory.ifmapBandwidth)
        let filter = channel(visits.filter, prefetchWords: visits.filterPrefetchWords, bufferWords: memory.filterWords,
                             bandwidth: memory.filterBandwidth)
        let ofmap = WriteBuffer(words: memory.ofmapWords, bandwidth: memory.ofmapBandwidth)
            .drain(elements: visits.ofmapElements, lastCycle: stallFree)
        let ofmapBound = ScaleSimModel.ceilDiv(max(0, ofmap.writes - memory.ofmapWords), max(1, memory.ofmapBandwidth))
        let total = max(stallFree, ifmap.busy, filter.busy, ofmapBound)
        let prefetch = max(ScaleSimModel.ceilDiv(ifmap.firstFill, max(1, memory.ifmapBandwidth)),
                           ScaleSimModel.ceilDiv(filter.firstFill, max(1, memory.filterBandwidth)))
        let drainTail = max(0, ofmap.stop - stallFree)
        return ScaleSimReport(
            cycles: total, cyclesInclPrefetch: total + prefetch + drainTail, stallCycles: total - stallFree,
            sramIfmapReads: sram.ifmap, sramFilterReads: sram.filter, sramOfmapWrites: sram.ofmap,
            dramIfmapReads: ifmap.reads, dramFilterReads: filter.reads, dramOfmapWrites: ofmap.writes,
            averageDRAMIfmapBandwidth: Double(ifmap.reads) / Double(max(1, total + prefetch)),
            averageDRAMFilterBandwidth: Double(filter.reads) / Double(max(1, total + prefetch)),
            averageDRAMOfmapBandwidth: Double(ofmap.writes) / Double(max(1, total + drainTail)))
    }
}
