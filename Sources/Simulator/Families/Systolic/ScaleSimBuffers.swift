import Hardware

/// Which blocks of one operand each fold reads, in SCALE-Sim's fold order
/// (column folds outer, row folds inner: `for fc in range(col_fold): for
/// fr in range(row_fold)` in every `systolic_compute_*` module).
struct OperandVisits {
    /// Valid words of each distinct block.
    var blockSizes: [Int]
    /// How the folds walk the blocks.
    enum Walk {
        /// outer × (blocks 0, 1, …, b − 1): a row-fold block re-read once per column fold.
        case cycle(outer: Int)
        /// every block `times` times in a row: a column-fold block re-read by each row fold.
        case repeatEach(times: Int)
        /// each block once.
        case once
    }
    var walk: Walk
    /// Words read over all visits.
    var total: Int {
        let visits: Int
        switch walk {
        case .cycle(let outer): visits = outer
        case .repeatEach(let times): visits = times
        case .once: visits = 1
        }
        return blockSizes.reduce(0, +) * visits
    }
}

/// Per-operand fold visits, distinct word counts, first-request cycles
/// and the ofmap elements the demand matrices write.
struct ScaleSimVisits {
    var ifmap: OperandVisits, filter: OperandVisits
    /// Distinct words in each operand matrix (the ifmap's im2col matrix
    /// repeats pixels shared by overlapping windows and marks out-of-range
    /// window positions −1: `operand_matrix.calc_ifmap_elem_addr`).
    var ifmapDistinct: Int, filterDistinct: Int
    /// The demand row of each operand's first valid request: ws delays the
    /// ifmap by its R-row weight-load prefix, is delays the filter likewise.
    var ifmapFirstRequest: Int, filterFirstRequest: Int
    /// Non-padding entries of the ofmap demand matrix (partial sums included).
    var ofmapElements: Int
    /// Entries of each operand's prefetch matrix, padding of ragged folds included
    /// (`systolic_compute_*.create_*_prefetch_mat`).
    var ifmapPrefetchWords: Int, filterPrefetchWords: Int

    init(_ l: ScaleSimLayer, rows r: Int, columns c: Int, dataflow df: SystolicModel.Dataflow) {
        func blocks(_ extent: Int, _ side: Int, _ other: Int) -> [Int] {
            (0..<ScaleSimModel.ceilDiv(extent, side)).map { min(side, extent - $0 * side) * other }
        }
        let (m, n, k) = (l.m, l.n, l.k)
        // The fraction of the ifmap operand matrix's entries that are valid (not −1).
        let ifmapValidFraction = l.conv.map { min(1, Double(Self.validWindowEntries($0, m: m)) / Double(m * k)) } ?? 1
        func valid(_ sizes: [Int]) -> [Int] { sizes.map { Int((Double($0) * ifmapValidFraction).rounded()) } }
        switch df {
        case .os:
            ifmap = OperandVisits(blockSizes: valid(blocks(m, r, k)), walk: .cycle(outer: ScaleSimModel.ceilDiv(n, c)))
            filter = OperandVisits(blockSizes: blocks(n, c, k), walk: .repeatEach(times: ScaleSimModel.ceilDiv(m, r)))
            (ifmapFirstRequest, filterFirstRequest, ofmapElements) = (0, 0, m * n)
        case .ws:
            ifmap = OperandVisits(blockSizes: valid(blocks(k, r, m)), walk: .cycle(outer: ScaleSimModel.ceilDiv(n, c)))
            filter = OperandVisits(blockSizes: [k * n], walk: .once)
            (ifmapFirstRequest, filterFirstRequest, ofmapElements) = (r, 0, m * n * ScaleSimModel.ceilDiv(k, r))
        case .is:
            ifmap = OperandVisits(blockSizes: valid([m * k]), walk: .once)
            filter = OperandVisits(blockSizes: blocks(k, r, n), walk: .cycle(outer: ScaleSimModel.ceilDiv(m, c)))
            (ifmapFirstRequest, filterFirstRequest, ofmapElements) = (0, r, m * n * ScaleSimModel.ceilDiv(k, r))
        }
        let cd = ScaleSimModel.ceilDiv
        switch df {
        case .os: (ifmapPrefetchWords, filterPrefetchWords) = (cd(m, r) * r * k, cd(n, c) * c * k)
        case .ws: (ifmapPrefetchWords, filterPrefetchWords) = (cd(k, r) * r * m, cd(n, c) * c * k)
        case .is: (ifmapPrefetchWords, filterPrefetchWords) = (cd(m, c) * c * k, cd(k, r) * r * n)
        }
        ifmapDistinct = l.conv.map(Self.distinctPixels) ?? m * k
        filterDistinct = k * n
    }

    /// Input pixels (× channels) some window touches: the union of the
    /// windows' row spans times the union of their column spans.
    static func distinctPixels(_ c: ScaleSimLayer.Convolution) -> Int {
        func covered(_ size: Int, _ filter: Int, _ outputs: Int) -> Int {
            if c.stride >= filter { return (outputs - 1) * filter + min(filter, size - (outputs - 1) * c.stride) }
            return min((outputs - 1) * c.stride + filter, size)
        }
        return covered(c.h, c.r, c.p) * covered(c.w, c.s, c.q) * c.c
    }

    /// Entries of the M × K ifmap matrix inside the input (a partial last
    /// window's outside positions are −1).
    static func validWindowEntries(_ c: ScaleSimLayer.Convolution, m: Int) -> Int {
        func inside(_ size: Int, _ filter: Int, _ outputs: Int) -> Int {
            (0..<outputs).reduce(0) { $0 + min(filter, size - $1 * c.stride) }
        }
        return inside(c.h, c.r, c.p) * inside(c.w, c.s, c.q) * c.c
    }
}

/// CALC mode's read buffer (`read_buffer_estimate_bw.ReadBufferEstimateBw`):
/// it records each requested word not already held, in sets of ⌊words/100⌋;
/// once 50 sets (the active half) have filled, all of them are dropped at
/// once (`manage_prefetches` moves the read window past them, and the
/// window then holds only words added since). Every recorded word is one
/// DRAM read (`prefetch` counts each set once).
struct EstimateBuffer {
    let itemsPerSet: Int
    let segment: Int
    let bandwidth: Int

    init(words: Int, bandwidth: Int) {
        itemsPerSet = max(1, words / 100)
        segment = 50 * itemsPerSet
        self.bandwidth = bandwidth
    }

    /// Words recorded (DRAM reads) over the operand's fold visits. Within a
    /// visit the block's words come in the same order every time, so the
    /// part of a block still held is always a suffix of that order; a
    /// visit re-records the prefix it lost, and everything after a drop.
    func insertions(_ v: OperandVisits, distinct: Int) -> Int {
        if distinct < segment { return min(distinct, v.total) }   // nothing is ever dropped
        var held = 0, epoch = 0, recorded = 0
        var blockEpoch = [Int](repeating: -1, count: v.blockSizes.count)
        var suffixStart = [Int](repeating: 0, count: v.blockSizes.count)
        func record(_ count: Int, from position: Int) -> Int? {
            recorded += count
            let drops = (held + count) / segment
            let lastDrop = drops > 0 ? position + (segment - held - 1) + (drops - 1) * segment : nil
            held = (held + count) % segment
            epoch += drops
            return lastDrop
        }
        func visit(_ b: Int) {
            let size = v.blockSizes[b]
            let start = blockEpoch[b] == epoch ? suffixStart[b] : size
            var lastDrop = record(start, from: 0)
            if lastDrop != nil, start < size { lastDrop = record(size - start, from: start) ?? lastDrop }
            blockEpoch[b] = epoch
            suffixStart[b] = lastDrop.map { $0 + 1 } ?? 0
        }
        switch v.walk {
        case .once: return v.total
        case .cycle(let outer):
            for _ in 0..<outer { for b in v.blockSizes.indices { visit(b) } }
        case .repeatEach(let times):
            for b in v.blockSizes.indices { for _ in 0..<times { visit(b) } }
        }
        return recorded
    }

    /// The first DRAM read's cycle. The first prefetch covers the active
    /// half (50 sets) and ends the cycle before the first request when a
    /// drop happened, else it covers every set recorded and ends at −1;
    /// it runs at 10 words per cycle and the port adds a cycle
    /// (`manage_prefetches`, `complete_all_prefetches`, `read_port.latency`).
    func firstFetchCycle(insertions: Int, firstRequest: Int) -> Int {
        if insertions >= segment {
            return firstRequest - ScaleSimModel.ceilDiv(segment, bandwidth)
        }
        let sets = ScaleSimModel.ceilDiv(insertions, itemsPerSet)
        return -ScaleSimModel.ceilDiv(sets * itemsPerSet, bandwidth)
    }
}

/// The ofmap write buffer (`write_buffer.write_buffer`): outputs fill
/// lines of `bandwidth` words; once more than the drain half is held it
/// pads the open line and drains ⌈drain half / bandwidth⌉ lines, one line
/// a cycle; at the end it drains the rest from the last demand cycle on
/// (`empty_all_buffers`). A drained chunk counts its lines' full width
/// except the last line's padding (`empty_drain_buf`), so padded lines
/// inside a chunk count as writes.
///
/// Drains are taken to finish before the next one is due (SCALE-Sim skips
/// a drain while one is in flight); the count is exact when outputs arrive
/// more slowly than the channel drains them.
struct WriteBuffer {
    let total: Int, drainHalf: Int, bandwidth: Int

    init(words: Int, bandwidth: Int) {
        total = words
        drainHalf = words - (words + 1) / 2
        self.bandwidth = max(1, bandwidth)
    }

    func drain(elements: Int, lastCycle: Int) -> (writes: Int, start: Int, stop: Int, held: Int) {
        let active = total - drainHalf
        var queue = ScaleSimLineQueue(bandwidth: bandwidth, chunk: max(1, ScaleSimModel.ceilDiv(drainHalf, bandwidth)))
        var free = total, writes = 0, remaining = elements
        func add(_ n: Int) { free -= n; queue.add(n) }
        func drainChunk() { let words = queue.drainChunk().words; writes += words; free += words }
        var start: Int?
        while remaining > 0 {
            let untilDrain = max(1, free - active + 1)
            if untilDrain > remaining { add(remaining); remaining = 0; break }
            add(untilDrain)
            remaining -= untilDrain
            queue.close()
            if start == nil { start = lastCycle }   // estimate: mid-run drains are not timed
            drainChunk()
        }
        queue.close()
        let (pending, held) = queue.pending
        let finalStart = lastCycle
        while !queue.isEmpty { drainChunk() }
        return (writes, start ?? finalStart, pending > 0 ? finalStart + pending - 1 : lastCycle, held)
    }
}
