extension ScaleSimUserClasses {
    /// The is prefetch matrix: for each block of `columns` pixels, for each window index j, the block's pixels
    /// ascending, valid ones only (window j = (r, s, ch) fits at pixels in the box vy[r] × vx[s] of the output
    /// grid). So rank(i, j) = (valid entries of the blocks before i's) + Σ_{j' < j} (block's valid pixels
    /// of window j') + (valid pixels of window j in the block before i), and the inner sum is C times a
    /// prefix over the R·S window positions plus ch times this one's count: O(1) after an O(blocks·R·S) table.
    struct Stationary {
        let conv: ScaleSimLayer.Convolution, columns: Int, blocks: Int, valid: Int
        let vy: [Int], vx: [Int]
        /// Valid entries in the blocks before b.
        let blockPrefix: [Int]
        /// Valid pixels of block b for the window positions before p = r·S + s: pairPrefix[b · (R·S + 1) + p].
        let pairPrefix: [Int]

        init(_ c: ScaleSimLayer.Convolution, columns: Int, vy: [Int], vx: [Int]) {
            (conv, self.columns, self.vy, self.vx) = (c, columns, vy, vx)
            let m = c.p * c.q, pairs = c.r * c.s
            blocks = ScaleSimModel.ceilDiv(m, columns)
            var blockPrefix = [0], pairPrefix: [Int] = []
            pairPrefix.reserveCapacity(blocks * (pairs + 1))
            for b in 0..<blocks {
                var sum = 0
                pairPrefix.append(0)
                for p in 0..<pairs {
                    sum += Self.count(c, box: (vy[p / c.s], vx[p % c.s]), b * columns, min(m, b * columns + columns))
                    pairPrefix.append(sum)
                }
                blockPrefix.append(blockPrefix.last! + sum * c.c)
            }
            (self.blockPrefix, self.pairPrefix, valid) = (blockPrefix, pairPrefix, blockPrefix.last!)
        }

        /// Pixels lo..<hi inside the box [0, rows) × [0, columns) of the output grid.
        @inline(__always) static func count(_ c: ScaleSimLayer.Convolution, box: (Int, Int), _ lo: Int, _ hi: Int)
            -> Int {
            func through(_ top: Int) -> Int {
                guard top >= 0 else { return 0 }
                let (oy, ox) = top.quotientAndRemainder(dividingBy: c.q)
                return min(oy, box.0) * box.1 + (oy < box.0 ? min(ox + 1, box.1) : 0)
            }
            return through(hi - 1) - through(lo - 1)
        }

        @inline(__always) func box(_ j: Int) -> (Int, Int) {
            let p = j / conv.c
            return (vy[p / conv.s], vx[p % conv.s])
        }

        func rank(pixel i: Int, window j: Int) -> Int {
            let b = i / columns, pairs = conv.r * conv.s, (p, ch) = j.quotientAndRemainder(dividingBy: conv.c)
            let base = b * (pairs + 1)
            let here = pairPrefix[base + p + 1] - pairPrefix[base + p]
            return blockPrefix[b] + conv.c * pairPrefix[base + p] + ch * here
                + Self.count(conv, box: box(j), b * columns, i)
        }

        /// The valid entry of rank q (0 ≤ q < valid): its block, window index and pixel.
        func element(rank q: Int) -> (block: Int, window: Int, pixel: Int) {
            var (lo, hi) = (0, blocks - 1)
            while lo < hi {
                let mid = lo + (hi - lo + 1) / 2
                if blockPrefix[mid] <= q { lo = mid } else { hi = mid - 1 }
            }
            let b = lo, pairs = conv.r * conv.s, base = b * (pairs + 1), rest = q - blockPrefix[b]
            var (pl, ph) = (0, pairs - 1)
            while pl < ph {
                let mid = pl + (ph - pl + 1) / 2
                if conv.c * pairPrefix[base + mid] <= rest { pl = mid } else { ph = mid - 1 }
            }
            let here = pairPrefix[base + pl + 1] - pairPrefix[base + pl]
            let (ch, index) = (rest - conv.c * pairPrefix[base + pl]).quotientAndRemainder(dividingBy: here)
            let j = pl * conv.c + ch, start = b * columns
            // The smallest pixel with index + 1 valid pixels of window j in start...pixel.
            var (il, ih) = (start, min(conv.p * conv.q, start + columns) - 1)
            while il < ih {
                let mid = il + (ih - il) / 2
                if Self.count(conv, box: box(j), start, mid + 1) >= index + 1 { ih = mid } else { il = mid + 1 }
            }
            return (b, j, il)
        }
    }

    /// A rank boundary as a pixel threshold per window index: entries of window j' at or after it are the
    /// pixels ≥ threshold(j') (nil element: no entry is).
    struct StationaryEdge {
        let element: (block: Int, window: Int, pixel: Int)?
        let columns: Int
        @inline(__always) func threshold(_ j: Int) -> Int {
            guard let e = element else { return Int.max / 4 }
            return j > e.window ? e.block * columns : j == e.window ? e.pixel : (e.block + 1) * columns
        }
    }

    /// is: folds (pixel block, K fold); a fold demands its window indices from the top down, each over the
    /// block's pixels ascending, all on one demand row.
    /// Stops once `work` is spent (a step per window index visited, per cell examined and per held interval
    /// placed, and the window's edges per miss) or its folds so far project past it (`onTrack`), leaving the
    /// ring part-walked.
    static func stationaryWalk(_ layout: Stationary, rows r: Int, perFold: Int, ring: inout Ring,
                               work: ScaleSimWork) {
        let c = layout.conv, m = c.p * c.q, k = c.r * c.s * c.c, cols = layout.columns
        let kFolds = ScaleSimModel.ceilDiv(k, r)
        // A lane's cells depend on its window position (r, s) only: members name j' − j (the channels share).
        var tables: [[Cell]?] = Array(repeating: nil, count: c.r * c.s)
        func table(_ j: Int) -> [Cell] {
            if let t = tables[j / c.c] { return t }
            let t = wsCells(c, lane: j, vy: layout.vy, vx: layout.vx) { Member(column: $0 - j, offset: $1) }
            tables[j / c.c] = t
            return t
        }
        func window() -> [(StationaryEdge, StationaryEdge)] {
            ring.ranges.map { range in
                (StationaryEdge(element: layout.element(rank: range.lowerBound), columns: cols),
                 StationaryEdge(element: range.upperBound < layout.valid ? layout.element(rank: range.upperBound)
                                    : nil, columns: cols))
            }
        }
        var held = window(), intervals: [Range<Int>] = []
        for fc in 0..<layout.blocks {
            let (lo, hi) = (fc * cols, min(m, fc * cols + cols))
            for fr in 0..<kFolds {
                let fold = fc * kFolds + fr
                guard work.onTrack(done: fold, of: layout.blocks * kFolds) else { return }
                var j = min(k, fr * r + r) - 1, from = lo
                while j >= fr * r {
                    var best: (i: Int, cell: Int)?
                    let cells = table(j)
                    var steps = 1 + cells.count
                    for (index, cell) in cells.enumerated() {
                        guard let start = cell.first(from: from, width: c.q), start < min(hi, best?.i ?? hi)
                        else { continue }
                        intervals.removeAll(keepingCapacity: true)
                        var covered = false
                        let end = min(hi - 1, cell.last(width: c.q))
                        for member in cell.members where !covered {
                            for (low, high) in held {
                                let a = low.threshold(j + member.column) - member.offset
                                let b = high.threshold(j + member.column) - member.offset
                                guard b > a else { continue }
                                // One interval holding the rest of the cell: no miss there (the usual case).
                                if a <= start && b > end { covered = true }
                                intervals.append(a..<b)
                            }
                        }
                        steps += intervals.count
                        if covered { continue }
                        intervals.sort { $0.lowerBound < $1.lowerBound }
                        guard let i = firstMiss(cell, from: start, width: c.q, held: intervals), i < hi
                        else { continue }
                        if best == nil || i < best!.i { best = (i, index) }
                    }
                    guard work.spend(steps) else { return }
                    guard let best else { (j, from) = (j - 1, lo); continue }
                    let ranks = cells[best.cell].members.map {
                        layout.rank(pixel: best.i + $0.offset, window: j + $0.column)
                    }
                    ring.miss(ranks: ranks, row: fold * perFold + r - 1 - (j - fr * r))
                    held = window()
                    work.spend(ranks.count + 2 * held.count)
                    from = best.i + 1
                }
            }
        }
    }
}
