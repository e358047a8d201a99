import Hardware

/// CALC mode's ifmap DRAM reads for the os dataflow and for is convolutions whose channels are not whole R-row
/// slices (ws: `ScaleSimIfmapClasses`, which counts its lanes in runs), fold by fold: the same count as
/// `ScaleSimIfmapReplay.replay` (the request-by-request oracle beside it), from the fold's *runs* instead
/// of its requests.
///
/// A *unit* is g consecutive channels of one input position: g = C for os (every os fold requests every
/// window index of its pixels), g = gcd(R, C) for is (no K fold boundary j = f·R cuts a unit). A
/// *run* is one pixel's requests of one unit in a fold: its lanes ℓ = 0..<g come at request keys
/// `key + ℓ·step` (a key orders the fold's requests as the demand rows do: os `row·R + lane`,
/// is `window row from the last · pixels + pixel`; is lanes run channels descending). Runs of one unit
/// share `step`, so lane ℓ's first request in the fold is the unit's smallest-key run, and after any key D
/// the requests of a unit that come later form a suffix of its lanes. `read_buffer_estimate_bw`'s drop rule
/// (record a word not requested since the last drop; drop all after `segment` records) therefore needs
/// per unit only the epoch of its newest lanes and the first of them (`ScaleSimIfmapFolds`' unit state):
///
/// - before the fold's first drop, unit u misses lanes `0..<a` (a = `start` if its epoch is the current
///   one, else g) at its first run's keys;
/// - after a drop at key D, lane ℓ of u misses once, at the first run with `key + ℓ·step > D`: for runs
///   k₁ < k₂ < … of u, run i takes the lanes with `kᵢ₋₁ + ℓ·step ≤ D < kᵢ + ℓ·step` (a range);
/// - the record that causes a drop is the t-th smallest key among those ranges: a binary search on the key
///   with an O(runs) count per probe.
///
/// Cost per fold: O(runs) to group them by unit (a counting sort, then each unit's few runs by key), plus
/// O(runs · log keys) per drop within it, where an os fold has (its pixels × R·S window positions) runs for
/// R·S·C + pixels − 1 demand rows, and an is fold (pixels × R/g) runs — never a step per request unless
/// g = 1 (then a run is one request, and the caller counts by class, `ScaleSimIfmapBlocks`).
enum ScaleSimIfmapRuns {
    /// One pixel's requests of one unit in a fold.
    struct Run {
        var unit: Int, key: Int
    }

    /// The lanes of each unit, the drop rule's counters and the unit states (`ScaleSimIfmapFolds`' rule).
    struct DropRule {
        let lanes: Int, segment: Int
        /// Spent a step per run grouped or scanned and per range of each probe.
        let work: ScaleSimWork
        var unitEpoch: [Int], unitStart: [Int]
        var epoch = 0, held = 0, recorded = 0
        // Scratch: one fold's miss ranges (first key, lanes lo..<hi), and its group starts.
        private var rangeKey: [Int] = [], rangeLo: [Int] = [], rangeHi: [Int] = [], groups: [Int] = []
        // The grouping of a fold's runs by unit (a counting sort): each unit's group in the fold it was last seen.
        private var seenIn: [Int], groupOf: [Int], sorted: [Run] = [], fill: [Int] = []
        private var folds = 0

        init(units: Int, lanes: Int, segment: Int, work: ScaleSimWork) {
            (self.lanes, self.segment, self.work) = (lanes, segment, work)
            unitEpoch = [Int](repeating: -1, count: units)
            unitStart = [Int](repeating: 0, count: units)
            seenIn = [Int](repeating: -1, count: units)
            groupOf = [Int](repeating: 0, count: units)
        }

        /// `runs` grouped by unit (groups in order of first appearance), each group's keys ascending; sets
        /// `groups` to the groups' starts. A group is one unit's runs in a fold: at most its R·S window
        /// positions (os) or the fold's, sorted by insertion when short.
        private mutating func group(_ runs: inout [Run]) {
            folds += 1
            let fold = folds
            fill.removeAll(keepingCapacity: true)
            groups.removeAll(keepingCapacity: true)
            sorted.removeAll(keepingCapacity: true)
            sorted.append(contentsOf: runs)
            // Scratch without bounds checks: every unit index is below the arrays' size by construction.
            seenIn.withUnsafeMutableBufferPointer { seenIn in
            groupOf.withUnsafeMutableBufferPointer { groupOf in
                for run in runs {
                    if seenIn[run.unit] != fold {
                        (seenIn[run.unit], groupOf[run.unit]) = (fold, fill.count)
                        fill.append(0)
                    }
                    fill[groupOf[run.unit]] += 1
                }
                var start = 0
                for x in fill.indices { groups.append(start); (start, fill[x]) = (start + fill[x], start) }
                fill.withUnsafeMutableBufferPointer { fill in
                sorted.withUnsafeMutableBufferPointer { sorted in
                    for run in runs {
                        let g = groupOf[run.unit]
                        sorted[fill[g]] = run
                        fill[g] += 1
                    }
                    for (gi, first) in groups.enumerated() {
                        let end = gi + 1 < groups.count ? groups[gi + 1] : sorted.count
                        if end - first > 16 {
                            var group = UnsafeMutableBufferPointer(rebasing: sorted[first..<end])
                            group.sort { $0.key < $1.key }
                            continue
                        }
                        var x = first + 1
                        while x < end {
                            let run = sorted[x]
                            var y = x
                            while y > first && sorted[y - 1].key > run.key { sorted[y] = sorted[y - 1]; y -= 1 }
                            sorted[y] = run
                            x += 1
                        }
                    }
                }}
            }}
            swap(&runs, &sorted)
        }


        /// The smallest key X with at least `t` miss keys ≤ X among the current ranges.
        func kth(_ t: Int, step: Int) -> Int {
            var lo = Int.max, hi = Int.min
            for x in rangeKey.indices {
                lo = min(lo, rangeKey[x] + rangeLo[x] * step)
                hi = max(hi, rangeKey[x] + (rangeHi[x] - 1) * step)
            }
            while lo < hi {
                let mid = lo + (hi - lo) / 2
                work.spend(1 + rangeKey.count)
                var count = 0
                for x in rangeKey.indices {
                    let through = min(rangeHi[x], ScaleSimModel.floorDiv(mid - rangeKey[x], step) + 1)
                    if through > rangeLo[x] { count += through - rangeLo[x] }
                }
                if count >= t { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }

        /// The misses after a drop at key `d`, as ranges (one per run that is some lane's first later request).
        mutating func rangesAfter(_ d: Int, _ runs: [Run], step: Int) -> Int {
            rangeKey.removeAll(keepingCapacity: true)
            rangeLo.removeAll(keepingCapacity: true)
            rangeHi.removeAll(keepingCapacity: true)
            work.spend(runs.count)
            var total = 0
            for (gi, first) in groups.enumerated() {
                let end = gi + 1 < groups.count ? groups[gi + 1] : runs.count
                for x in first..<end {
                    let lo = max(0, ScaleSimModel.floorDiv(d - runs[x].key, step) + 1)
                    let hi = x == first ? lanes
                        : min(lanes, max(0, ScaleSimModel.floorDiv(d - runs[x - 1].key, step) + 1))
                    guard hi > lo else { continue }
                    rangeKey.append(runs[x].key); rangeLo.append(lo); rangeHi.append(hi)
                    total += hi - lo
                }
            }
            return total
        }

        /// One fold's runs (any order; grouped here), each lane ℓ of a run at `key + ℓ·step`.
        mutating func fold(_ runs: inout [Run], step: Int) {
            guard !runs.isEmpty else { return }
            work.spend(2 * runs.count)   // made, then grouped
            group(&runs)
            var misses = 0
            for x in groups {
                let u = runs[x].unit
                misses += unitEpoch[u] == epoch ? unitStart[u] : lanes
            }
            let need = segment - held
            if misses < need {
                held += misses
                recorded += misses
                for x in groups { (unitEpoch[runs[x].unit], unitStart[runs[x].unit]) = (epoch, 0) }
                return
            }
            rangeKey.removeAll(keepingCapacity: true)
            rangeLo.removeAll(keepingCapacity: true)
            rangeHi.removeAll(keepingCapacity: true)
            for x in groups {
                let u = runs[x].unit, a = unitEpoch[u] == epoch ? unitStart[u] : lanes
                if a > 0 { rangeKey.append(runs[x].key); rangeLo.append(0); rangeHi.append(a) }
            }
            var drop = kth(need, step: step)
            recorded += need
            epoch += 1
            held = 0
            while true {
                let after = rangesAfter(drop, runs, step: step)
                if after < segment { held = after; recorded += after; break }
                drop = kth(segment, step: step)
                recorded += segment
                epoch += 1
            }
            // A unit's lanes requested after the last drop (a suffix: its last run's) carry this epoch.
            for (gi, first) in groups.enumerated() {
                let last = (gi + 1 < groups.count ? groups[gi + 1] : runs.count) - 1
                let start = max(0, ScaleSimModel.floorDiv(drop - runs[last].key, step) + 1)
                (unitEpoch[runs[first].unit], unitStart[runs[first].unit]) = (epoch, min(start, lanes))
            }
        }
    }

    /// The run-by-run count, or nil when runs would be single requests (ws, is with gcd(R, C) = 1, os with
    /// C = 1) or the layer is not a plain convolution (the caller then counts by class).
    static func dramReads(_ l: ScaleSimLayer, conv c: ScaleSimLayer.Convolution, rows r: Int, columns cols: Int,
                          dataflow df: SystolicModel.Dataflow, bufferWords: Int,
                          work: ScaleSimWork = .unlimited) -> Int? {
        let (m, n, k) = (l.m, l.n, l.k)
        // ws: `ScaleSimIfmapClasses` counts every ws convolution.
        guard df != .ws, m == c.p * c.q, k == c.r * c.s * c.c, m > 0, c.c > 0 else { return nil }
        let g = df == .os ? c.c : ScaleSimModel.gcd(r, c.c)
        guard g > 1 else { return nil }
        let atoms = c.c / g
        guard work.spend(c.h * c.w * atoms) else { return nil }   // the unit states, zeroed
        var rule = DropRule(units: c.h * c.w * atoms, lanes: g,
                            segment: ScaleSimModel.dropSegment(bufferWords: bufferWords), work: work)
        var runs: [Run] = []
        let cd = ScaleSimModel.ceilDiv
        // The unit of (pixel i, window index j), j the first channel of a unit; nil outside the input.
        @inline(__always) func unit(_ i: Int, _ j: Int) -> Int? {
            let (oy, ox) = i.quotientAndRemainder(dividingBy: c.q)
            let (cr, rest) = j.quotientAndRemainder(dividingBy: c.s * c.c)
            let (cc, ch) = rest.quotientAndRemainder(dividingBy: c.c)
            let (y, x) = (oy * c.stride + cr, ox * c.stride + cc)
            return y < c.h && x < c.w ? (y * c.w + x) * atoms + ch / g : nil
        }
        if df == .os {
            runs.reserveCapacity(r * c.r * c.s)
            for _ in 0..<cd(n, cols) {
                for fr in 0..<cd(m, r) {
                    runs.removeAll(keepingCapacity: true)
                    for x in 0..<(min(m, fr * r + r) - fr * r) {
                        // Pixel x requests window index j at demand row x + j, after the row's lower lanes.
                        for j in stride(from: 0, to: k, by: c.c) {
                            if let u = unit(fr * r + x, j) { runs.append(Run(unit: u, key: (x + j) * r + x)) }
                        }
                    }
                    rule.fold(&runs, step: r)
                    if work.exhausted { return nil }
                }
            }
        } else {    // is
            runs.reserveCapacity(cols * cd(r, g))
            for fc in 0..<cd(m, cols) {
                let p0 = fc * cols, w = min(m, p0 + cols) - p0
                for fr in 0..<cd(k, r) {
                    runs.removeAll(keepingCapacity: true)
                    let j0 = fr * r, j1 = min(k, j0 + r)
                    for p in 0..<w {
                        // Window index j (last first) over the block's pixels: lane 0 is the unit's last channel.
                        for j in stride(from: j0, to: j1, by: g) {
                            if let u = unit(p0 + p, j) { runs.append(Run(unit: u, key: (j1 - j - g) * w + p)) }
                        }
                    }
                    rule.fold(&runs, step: w)
                    if work.exhausted { return nil }
                }
            }
        }
        return rule.recorded
    }
}
