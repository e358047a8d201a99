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
        /// Lines of one prefetch (the channel takes one more cycle per prefetch: the port's latency).
        var lines: Int
    }

    /// The array's stalls, as `double_buffered_scratchpad.service_memory_requests` adds them: prefetches
    /// run back to back on each channel from cycle −1; a demand row that misses waits for its prefetch,
    /// and `read_buffer.service_reads` counts a positive wait twice (`offset += potential_stall_cycles`
    /// before and inside its `if`); a row's stall is the larger of the two buffers'.
    static func stalls(misses: [[Int]], channels: [Channel], rows: [(first: Int, last: Int)], perFold: Int) -> Int {
        var done = channels.map { _ in -1 }
        var stall = 0
        let folds = rows.isEmpty ? 0 : misses[0].count / 2
        for f in 0..<folds {
            for end in 0..<2 {
                let row = f * perFold + (end == 0 ? rows.map(\.first).min()! : rows.map(\.last).max()!)
                var worst = 0
                for b in channels.indices {
                    let k = misses[b][2 * f + end]
                    guard k > 0 else { continue }
                    let (first, last) = rows[b]
                    let demand = f * perFold + (end == 0 ? first : last) + stall
                    worst = max(worst, wait(prefetches: k, done: &done[b], cycles: channels[b].lines + 1,
                                            demand: demand))
                }
                _ = row
                stall += worst
            }
        }
        return stall
    }

    /// `stalls` for misses given as (demand row, prefetches) per channel, rows ascending: the same rule
    /// applied row by row (a replayed channel knows each miss's row).
    static func stalls(events: [[(row: Int, misses: Int)]], channels: [Channel]) -> Int {
        var done = channels.map { _ in -1 }, next = channels.map { _ in 0 }
        var stall = 0
        while true {
            var row = Int.max
            for b in channels.indices where next[b] < events[b].count { row = min(row, events[b][next[b]].row) }
            guard row != Int.max else { return stall }
            var worst = 0
            for b in channels.indices where next[b] < events[b].count && events[b][next[b]].row == row {
                worst = max(worst, wait(prefetches: events[b][next[b]].misses, done: &done[b],
                                        cycles: channels[b].lines + 1, demand: row + stall))
                next[b] += 1
            }
            stall += worst
        }
    }

    /// The wait of one demand row that misses `k` times on one channel (`read_buffer.service_reads`): each
    /// miss queues a prefetch `cycles` after the channel's last (`done`, updated), and the row's offset o
    /// grows by the prefetch's lateness p = done − (demand + o), twice when p > 0. Returns o − 1.
    ///
    /// In closed form, O(1) whatever `k` (a buffer that wraps its ring misses billions of times on a large
    /// layer): with x_t = done + t·cycles − demand and e_t = o_t − x_t, the rule reads e_1 = max(0, x_1 − 1),
    /// e_{t+1} = max(0, cycles − e_t); so from t = 2 on e alternates between e_2 and cycles − e_2 (both in
    /// [0, cycles]). `waitByPrefetch`, the loop as SCALE-Sim writes it, is its test oracle.
    static func wait(prefetches k: Int, done: inout Int, cycles d: Int, demand: Int) -> Int {
        guard k > 0 else { return 0 }
        let x1 = done + d - demand
        done += k * d
        let xk = done - demand, e1 = max(0, x1 - 1)
        guard k > 1 else { return xk + e1 - 1 }
        let e2 = max(0, d - e1)
        return xk + (k % 2 == 0 ? e2 : d - e2) - 1
    }

    /// `wait` one prefetch at a time, as `service_reads` loops: the oracle of the closed form.
    static func waitByPrefetch(prefetches k: Int, done: inout Int, cycles d: Int, demand: Int) -> Int {
        var offset = 1
        for _ in 0..<k {
            done += d
            let potential = done - (demand + offset)
            offset += potential
            if potential > 0 { offset += potential }
        }
        return offset - 1
    }

    /// A fold-walk's misses (two entries per fold: its first and last row) as row events.
    static func events(_ misses: [Int], perFold: Int, rows: (first: Int, last: Int)) -> [(row: Int, misses: Int)] {
        var out: [(row: Int, misses: Int)] = []
        for (x, k) in misses.enumerated() where k > 0 {
            out.append(((x / 2) * perFold + (x % 2 == 0 ? rows.first : rows.last), k))
        }
        return out
    }

    /// How a fold's prefetch matrix is laid out (`systolic_compute_*.create_*_prefetch_mat`).
    enum Layout {
        /// `blocks` blocks of `t` rows × `width` columns stacked, then read along anti-diagonals
        /// (the streaming operand: "Fixing ISSUE #15, #16"); fold visits walk the blocks as `walk` says,
        /// each from its first diagonal to its last.
        case diagonal(blocks: Int, t: Int, width: Int, lastUsed: Int, walk: OperandVisits.Walk)
        /// `blocks` blocks of `rows` × `width` (`used` columns valid in each) row by row; each fold reads
        /// `side` rows of a block, last row first (the stationary operand, flipped into the array).
        case stationary(blocks: Int, rows: Int, width: Int, used: [Int], side: Int, repeats: Bool = false)
    }

    /// Anti-diagonal order of an `mr` × `nc` matrix: the position of element (i, j), rows descending within a
    /// diagonal (`create_ifmap_prefetch_mat`'s loop over `diag_id`).
    static func diagonalPosition(_ i: Int, _ j: Int, mr: Int, nc: Int) -> Int {
        let d = i + j
        // Elements on the diagonals before d: Σ (min(d', mr − 1) − max(0, d' − nc + 1) + 1).
        let upper = d <= mr ? d * (d - 1) / 2 : mr * (mr - 1) / 2 + (d - mr) * (mr - 1)
        let lower = d > nc - 1 ? (d - nc) * (d - nc + 1) / 2 : 0
        return upper - lower + d + (min(d, mr - 1) - i)
    }

    /// The sets each fold visit needs, in the order it needs them.
    static func visits(_ layout: Layout, valid: Int, perSet: Int) -> [[Int]] {
        switch layout {
        case .diagonal(let blocks, let t, let width, let lastUsed, let walk):
            let mr = blocks * t
            // A ragged last fold pads its block's columns lastUsed..<width with −1, which no set holds.
            let (r0, r1) = ((blocks - 1) * t, blocks * t)
            func validBefore(_ i: Int, _ j: Int) -> Int {
                let d = i + j
                var padding = 0
                for b in lastUsed..<width {
                    padding += max(0, min(r1, d - b) - r0)
                    if d - b >= r0, d - b < r1, d - b > i { padding += 1 }
                }
                return diagonalPosition(i, j, mr: mr, nc: width) - padding
            }
            let unpadded = mr * width - t * (width - lastUsed)
            // Convolutions' ifmaps also hold −1 inside (a partial window's outside): spread evenly.
            let scale = unpadded > 0 ? Double(valid) / Double(unpadded) : 1
            func set(_ position: Int) -> Int { Int(Double(position) * scale) / perSet }
            let spans = (0..<blocks).map { b in
                (set(validBefore(b * t, 0)),
                 set(validBefore(b * t + t - 1, (b == blocks - 1 ? lastUsed : width) - 1)))
            }
            let points = spans.map { [$0.0, $0.1] }
            switch walk {
            case .once: return points
            case .cycle(let outer): return Array((0..<outer).map { _ in points }.joined())
            case .repeatEach(let times): return points.flatMap { Array(repeating: $0, count: times) }
            }
        case .stationary(let blocks, let rows, _, let used, let side, let repeats):
            // A fold reads its rows last first, each row's words in order: within a row the sets rise.
            var out: [[Int]] = [], offset = 0
            for b in 0..<blocks {
                for start in stride(from: 0, to: rows, by: side) {
                    var points: [Int] = []
                    // An im2col ifmap repeats a pixel in later rows (the next window's), where a word of a
                    // row the window has passed is often found: read in order instead (estimate; it brings
                    // the convolution runs beyond 10% from 12 to 8 of 48).
                    // (Row by row without an array per row: a huge layer has millions of folds.)
                    let end = min(rows, start + side)
                    for i in 0..<(end - start) {
                        let row = repeats ? start + i : end - 1 - i
                        let low = (offset + row * used[b]) / perSet
                        let high = (offset + row * used[b] + used[b] - 1) / perSet
                        if points.last != low { points.append(low) }
                        if high != low, points.last != high { points.append(high) }
                    }
                    out.append(points)
                }
                offset += rows * used[b]
            }
            return out
        }
    }

    /// DRAM words one read buffer moves and the cycles its channel is busy; `misses` gets, for each fold
    /// visit's first and last set, the prefetches it needed (in fold order, two entries per fold).
    static func channel(_ layout: Layout, valid: Int, prefetchWords: Int, bufferWords: Int, bandwidth: Int,
                        misses: inout [Int]) -> Channel {
        let bw = max(1, bandwidth)
        let activeWords = (bufferWords + 1) / 2, prefetchHalf = bufferWords - activeWords
        // The ring of sets (`ScaleSimUserClasses.Ring`, which the convolutions' walk moves too): the window
        // only moves forward, `step` sets at a time, until the set is in it (`new_prefetch`).
        var ring = ScaleSimUserClasses.Ring(valid: valid, bufferWords: bufferWords)
        let firstFill = min(ScaleSimModel.ceilDiv(activeWords, bw), ScaleSimModel.ceilDiv(prefetchWords, bw)) * bw
        let visited = visits(layout, valid: valid, perSet: ring.perSet)
        guard ring.step > 0 else {
            misses.append(contentsOf: repeatElement(0, count: 2 * visited.count))
            return Channel(reads: firstFill, busy: 0, firstFill: firstFill, lines: 0)
        }
        for points in visited {
            misses.append(ring.reach(line: points[0]))
            misses.append(points.dropFirst().reduce(0) { $0 + ring.reach(line: $1) })
        }
        let lines = ScaleSimModel.ceilDiv(prefetchHalf, bw)
        return Channel(reads: firstFill + ring.advances * lines * bw, busy: ring.advances * (lines + 1),
                       firstFill: firstFill, lines: lines)
    }

    /// The two read operands' layouts for a dataflow.
    static func layouts(_ l: ScaleSimLayer, r: Int, c: Int, df: SystolicModel.Dataflow)
        -> (ifmap: Layout, filter: Layout) {
        let cd = ScaleSimModel.ceilDiv
        func used(_ extent: Int, _ side: Int) -> [Int] { (0..<cd(extent, side)).map { min(side, extent - $0 * side) } }
        switch df {
        case .os:
            return (.diagonal(blocks: cd(l.m, r), t: l.k, width: r, lastUsed: used(l.m, r).last!,
                              walk: .cycle(outer: cd(l.n, c))),
                    .diagonal(blocks: cd(l.n, c), t: l.k, width: c, lastUsed: used(l.n, c).last!,
                              walk: .repeatEach(times: cd(l.m, r))))
        case .ws:
            return (.diagonal(blocks: cd(l.k, r), t: l.m, width: r, lastUsed: used(l.k, r).last!,
                              walk: .cycle(outer: cd(l.n, c))),
                    .stationary(blocks: cd(l.n, c), rows: l.k, width: c, used: used(l.n, c), side: r))
        case .is:
            return (.stationary(blocks: cd(l.m, c), rows: l.k, width: c, used: used(l.m, c), side: r,
                                repeats: l.conv != nil),
                    .diagonal(blocks: cd(l.k, r), t: l.n, width: r, lastUsed: used(l.k, r).last!,
                              walk: .cycle(outer: cd(l.m, c))))
        }
    }

    /// Stall cycles the ofmap write buffer adds (`write_buffer.service_writes`): outputs arrive at a
    /// fold's rate; once more than the drain half is held and no drain is in flight, one starts
    /// (⌈half / bandwidth⌉ lines, a line a cycle) and frees its space at once; the array waits only when
    /// the buffer is full while a drain is in flight. Outputs are taken as spread evenly over the rows
    /// of each fold that write them (the skewed demand writes at most a line per row).
    static func ofmapStalls(folds: Int, perFold: Int, firstRow: Int, rows: Int, elementsPerFold: [Int],
                            words: Int, bandwidth: Int) -> (stall: Int, tail: Int, drainEnd: Int, held: Int) {
        let w = Double(words), half = Double(words - (words + 1) / 2), bw = Double(max(1, bandwidth))
        let chunk = (half / bw).rounded(.up) * bw
        var occupancy = 0.0, drainEnd = -1.0, stall = 0.0, time = 0.0
        for f in 0..<folds {
            let elements = Double(elementsPerFold[f])
            guard elements > 0 else { continue }
            let rate = elements / Double(max(1, rows))
            time = Double(f * perFold + firstRow) + stall
            var remaining = elements
            while remaining > 1e-9 {
                if time >= drainEnd && occupancy > half {
                    let drained = min(chunk, occupancy)
                    occupancy -= drained
                    drainEnd = time + (drained / bw).rounded(.up) - 1
                    continue
                }
                if time < drainEnd {
                    let room = w - occupancy, untilEnd = (drainEnd - time) * rate
                    // The array waits when a word fills the buffer (free space 0) while the drain runs.
                    if remaining < min(room, untilEnd) {
                        occupancy += remaining; time += remaining / rate; remaining = 0
                    } else if room <= untilEnd {
                        occupancy += room; time += room / rate; remaining -= room
                        stall += drainEnd - time; time = drainEnd
                    } else {
                        occupancy += untilEnd; remaining -= untilEnd; time = drainEnd
                    }
                } else {
                    let untilDrain = max(1, half - occupancy + 1)
                    if remaining <= untilDrain { occupancy += remaining; time += remaining / rate; remaining = 0 }
                    else { occupancy += untilDrain; remaining -= untilDrain; time += untilDrain / rate }
                }
            }
        }
        return (Int(stall.rounded()), Int((occupancy / bw).rounded(.up)), Int(drainEnd), Int(occupancy.rounded()))
    }

    /// `ofmapStalls` for a layer: the outputs of each fold and the rows that write them
    /// (`create_ofmap_demand_mat`'s prefix, block and skew).
    static func ofmapTimeline(_ l: ScaleSimLayer, r: Int, c: Int, df: SystolicModel.Dataflow, words: Int,
                              bandwidth: Int) -> (stall: Int, tail: Int, drainEnd: Int, held: Int) {
        let cd = ScaleSimModel.ceilDiv
        let (_, _, t) = ScaleSimModel.mapping(l, df)
        let rowFolds = df == .os ? cd(l.m, r) : cd(l.k, r)
        let colFolds = df == .is ? cd(l.m, c) : cd(l.n, c)
        var perFoldOutputs: [Int] = []
        perFoldOutputs.reserveCapacity(rowFolds * colFolds)
        for fc in 0..<colFolds {
            for fr in 0..<rowFolds {
                switch df {
                case .os: perFoldOutputs.append(min(r, l.m - fr * r) * min(c, l.n - fc * c))
                case .ws: perFoldOutputs.append(l.m * min(c, l.n - fc * c))
                case .is: perFoldOutputs.append(l.n * min(c, l.m - fc * c))
                }
            }
        }
        let perFold = df == .os ? t + r + c - 2 : t + 2 * r + c - 2
        let written = df == .os ? (t - 1, r + c - 1) : (2 * r - 1, t + c - 1)
        return ofmapStalls(folds: rowFolds * colFolds, perFold: perFold, firstRow: written.0, rows: written.1,
                           elementsPerFold: perFoldOutputs, words: words, bandwidth: bandwidth)
    }

    static func report(_ l: ScaleSimLayer, r: Int, c: Int, df: SystolicModel.Dataflow, memory: ScaleSimMemory,
                       demandRows: Int, sram: (ifmap: Int, filter: Int, ofmap: Int),
                       visits: ScaleSimVisits) -> ScaleSimReport {
        let stallFree = demandRows - 1
        let layout = layouts(l, r: r, c: c, df: df)
        let ifmapValid = visits.ifmap.blockSizes.reduce(0, +), filterValid = visits.filter.blockSizes.reduce(0, +)
        var ifmapMisses: [Int] = [], filterMisses: [Int] = []
        var ifmap = channel(layout.ifmap, valid: ifmapValid, prefetchWords: visits.ifmapPrefetchWords,
                            bufferWords: memory.ifmapWords, bandwidth: memory.ifmapBandwidth, misses: &ifmapMisses)
        // A convolution's im2col ifmap holds words at several positions: walked from miss to miss
        // (`ScaleSimUserClasses`, equal to the request-by-request `ScaleSimUserReplay`, its test oracle only:
        // production has no loop per request). Where the walk spends its step allowance (or, never seen, finds
        // one of its invariants broken), the per-position estimate stands and the report says so; not for a
        // batch folded into M, which the walk does not count and SCALE-Sim has no count of (as in CALC).
        var replayed: ScaleSimUserReplay.Result?, declined = false
        if memory.replayConvolutions, let conv = l.conv,
           visits.ifmapDistinct != l.m * l.k || ScaleSimVisits.validWindowEntries(conv, m: l.m) != l.m * l.k {
            replayed = ScaleSimUserClasses.ifmap(l, conv: conv, rows: r, columns: c, dataflow: df,
                                                 bufferWords: memory.ifmapWords,
                                                 work: ScaleSimWork(steps: memory.exactCountSteps))
            declined = replayed == nil && l.isPlainConvolution
        }
        if let result = replayed {
            let lines = ScaleSimModel.ceilDiv(memory.ifmapWords - (memory.ifmapWords + 1) / 2,
                                              max(1, memory.ifmapBandwidth))
            ifmap = Channel(reads: ifmap.firstFill + result.advances * lines * max(1, memory.ifmapBandwidth),
                            busy: result.advances * (lines + 1), firstFill: ifmap.firstFill, lines: lines)
        }
        let filter = channel(layout.filter, valid: filterValid, prefetchWords: visits.filterPrefetchWords,
                             bufferWords: memory.filterWords, bandwidth: memory.filterBandwidth, misses: &filterMisses)
        // The demand rows, within a fold, of each operand's first and last set (the skew and prefixes
        // of `create_*_demand_mat`): a stream runs T + width − 1 rows after its prefix, a stationary
        // block loads in R rows.
        let (_, _, t) = ScaleSimModel.mapping(l, df)
        let rowsOf: (ifmap: (Int, Int), filter: (Int, Int))
        switch df {
        case .os: rowsOf = ((0, t + r - 2), (0, t + c - 2))
        case .ws: rowsOf = ((r, 2 * r + t - 2), (0, r - 1))
        case .is: rowsOf = ((0, r - 1), (r, 2 * r + t - 2))
        }
        let perFold = df == .os ? t + r + c - 2 : t + 2 * r + c - 2
        let readStalls = replayed != nil
            ? stalls(events: [replayed!.events, events(filterMisses, perFold: perFold, rows: rowsOf.filter)],
                     channels: [ifmap, filter])
            : ifmapMisses.count == filterMisses.count
            ? stalls(misses: [ifmapMisses, filterMisses], channels: [ifmap, filter],
                     rows: [rowsOf.ifmap, rowsOf.filter], perFold: perFold)
            : max(ifmap.busy, filter.busy) - stallFree
        let ofmap = WriteBuffer(words: memory.ofmapWords, bandwidth: memory.ofmapBandwidth)
            .drain(elements: visits.ofmapElements, lastCycle: stallFree)
        let ofmapWait = ofmapTimeline(l, r: r, c: c, df: df, words: memory.ofmapWords, bandwidth: memory.ofmapBandwidth)
        // Read stalls let the ofmap drain meanwhile: the larger of the two, not their sum (estimate).
        let total = stallFree + max(max(0, readStalls), ofmapWait.stall)
        let prefetch = max(ScaleSimModel.ceilDiv(ifmap.firstFill, max(1, memory.ifmapBandwidth)),
                           ScaleSimModel.ceilDiv(filter.firstFill, max(1, memory.filterBandwidth)))
        // A run without stalls writes its outputs on the demand rows' own cycles: its drains are timed
        // as in CALC mode (`timedDrain`); with stalls the rows move, and the untimed tail is kept.
        let timed = total == stallFree
            ? WriteBuffer(words: memory.ofmapWords, bandwidth: memory.ofmapBandwidth)
                .timedDrain(OfmapArrivals(l, rows: r, columns: c, dataflow: df), lastCycle: stallFree) : nil
        let drainTail = max(0, (timed?.stop ?? ofmap.stop) - stallFree)
        return ScaleSimReport(
            cycles: total, cyclesInclPrefetch: total + prefetch + drainTail, stallCycles: total - stallFree,
            sramIfmapReads: sram.ifmap, sramFilterReads: sram.filter, sramOfmapWrites: sram.ofmap,
            dramIfmapReads: ifmap.reads, dramFilterReads: filter.reads, dramOfmapWrites: timed?.writes ?? ofmap.writes,
            averageDRAMIfmapBandwidth: Double(ifmap.reads) / Double(max(1, total + prefetch)),
            averageDRAMFilterBandwidth: Double(filter.reads) / Double(max(1, total + prefetch)),
            averageDRAMOfmapBandwidth: timed.map { Double($0.writes) / Double(max(1, $0.stop - $0.start + 1)) }
                ?? Double(ofmap.writes) / Double(max(1, total + drainTail)),
            ifmapReadsEstimated: declined)
    }
}
