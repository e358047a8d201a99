import Hardware

/// When the ofmap demand matrices write their outputs: per fold, `create_ofmap_demand_mat`'s block (a
/// prefix of empty rows, then `t` output rows × `cu` used columns) skewed one row per column, so fold-local
/// row d writes column x's output row d − x − prefix. Cumulative writes are a closed form per fold (a sum
/// of clamped ramps), and the row of the e-th write a binary search: O(folds) to set up, O(log) a query.
struct OfmapArrivals {
    struct Fold { var before: Int, used: Int, validLow: Int, validRows: Int }
    let folds: [Fold], perFold: Int, prefix: Int, total: Int

    init(_ l: ScaleSimLayer, rows r: Int, columns c: Int, dataflow df: SystolicModel.Dataflow) {
        let cd = ScaleSimModel.ceilDiv
        let (_, _, t) = ScaleSimModel.mapping(l, df)
        let rowFolds = df == .os ? cd(l.m, r) : cd(l.k, r)
        let (colExtent, colFolds) = df == .is ? (l.m, cd(l.m, c)) : (l.n, cd(l.n, c))
        var folds: [Fold] = [], before = 0
        folds.reserveCapacity(rowFolds * colFolds)
        for fc in 0..<colFolds {
            for fr in 0..<rowFolds {
                let used = min(c, colExtent - fc * c)
                // os flips its R-row block, so a ragged fold's padding rows come first.
                let (low, valid) = df == .os ? (r - min(r, l.m - fr * r), min(r, l.m - fr * r)) : (0, t)
                folds.append(Fold(before: before, used: used, validLow: low, validRows: valid))
                before += used * valid
            }
        }
        (self.folds, total) = (folds, before)
        perFold = df == .os ? t + r + c - 2 : t + 2 * r + c - 2
        prefix = df == .os ? t - 1 : 2 * r - 1
    }

    /// Writes of one fold in its rows 0...d.
    func within(_ f: Fold, through d: Int) -> Int {
        // Σ over columns x < used of clamp(u − x, 0, validRows), u = d − prefix − validLow + 1.
        func ramp(_ v: Int) -> Int {
            guard v > 0 else { return 0 }
            let k = min(f.used, v)
            return k * v - k * (k - 1) / 2
        }
        let u = d - prefix - f.validLow + 1
        return ramp(u) - ramp(u - f.validRows)
    }

    /// Writes in demand rows 0...t.
    func through(_ t: Int) -> Int {
        guard t >= 0 else { return 0 }
        let f = t / perFold
        guard f < folds.count else { return total }
        return folds[f].before + within(folds[f], through: t % perFold)
    }

    /// The demand row of write number e (0-based, e < total).
    func row(of e: Int) -> Int {
        var (lo, hi) = (0, folds.count - 1)
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if folds[mid].before <= e { lo = mid } else { hi = mid - 1 }
        }
        let fold = folds[lo], local = e - fold.before
        var (a, b) = (0, perFold - 1)
        while a < b {
            let mid = (a + b) / 2
            if within(fold, through: mid) > local { b = mid } else { a = mid + 1 }
        }
        return lo * perFold + a
    }
}

extension WriteBuffer {
    /// `write_buffer.service_writes` with its timing: a drain starts at the first write, at or after the
    /// previous drain's end cycle (`drain_end_cycle`, 0 at first), that leaves more than the drain half
    /// held; it closes the open line, takes up to ⌈half / bandwidth⌉ lines, one a cycle, and frees them at
    /// once. At the end `empty_all_buffers` drains what is left from the last demand row on, chunk after
    /// chunk. So the channel's start is the first drain's cycle and its stop the latest drain's last line.
    /// Nil when a write would find the buffer full while a drain runs (SCALE-Sim would stall the array;
    /// the caller keeps the untimed `drain`).
    func timedDrain(_ arrivals: OfmapArrivals, lastCycle: Int) -> (writes: Int, start: Int, stop: Int)? {
        let active = total - drainHalf
        var queue = ScaleSimLineQueue(bandwidth: bandwidth, chunk: max(1, ScaleSimModel.ceilDiv(drainHalf, bandwidth)))
        var free = total, writes = 0, stored = 0, drainEnd = 0
        var firstStart: Int?, lastEnd: Int?
        func add(_ n: Int) { free -= max(0, n); queue.add(n) }
        func drainChunk() -> Int {
            let (taken, words) = queue.drainChunk()
            writes += words
            free += words
            return taken
        }
        let elements = arrivals.total
        while stored < elements {
            let trigger = max(stored + max(1, free - active + 1) - 1, arrivals.through(drainEnd - 1))
            // Writes stored while the last drain still runs must not fill the buffer.
            if min(arrivals.through(drainEnd - 1), min(trigger, elements)) - stored >= free { return nil }
            guard trigger < elements else { break }
            add(trigger - stored + 1)
            stored = trigger + 1
            queue.close()
            let start = arrivals.row(of: trigger)
            drainEnd = start + drainChunk() - 1
            firstStart = firstStart ?? start
            lastEnd = drainEnd
        }
        add(elements - stored)
        queue.close()
        let pending = queue.pending.lines
        while !queue.isEmpty { _ = drainChunk() }
        let finalStop = pending > 0 ? lastCycle + pending - 1 : Int.min
        let stop = max(lastEnd ?? Int.min, finalStop)
        return (writes, firstStart ?? lastCycle, stop == Int.min ? lastCycle : stop)
    }
}
