extension ScaleSimUserClasses {
    /// The os/ws prefetch matrix (`create_ifmap_prefetch_mat`): `blocks` blocks of `height` rows × `width`
    /// columns stacked and read along anti-diagonals, rows descending. Column c of block b is lane
    /// b·width + c (ws: a window index, os: a pixel); its rows are a request grid of `gridWidth` columns
    /// (ws: the output grid P × Q, os: the window grid R × S·C) whose valid entries are the box
    /// `box[lane]` at the grid's origin (a lane ≥ `lanes` is a ragged last block's padding).
    ///
    /// Element (row, c) precedes (row₀, c₀) iff row + c < row₀ + c₀, or on the same diagonal with c < c₀;
    /// so in column c the elements before it are the rows below row₀ + c₀ − c (+1 when c < c₀), and a rank
    /// is a sum over columns of a block-prefix table and one box count: O(width).
    struct Diagonal {
        let height: Int, width: Int, blocks: Int, gridWidth: Int, lanes: Int
        let box: [(rows: Int, columns: Int)]
        /// Valid entries of column c in its blocks before b: prefix[c · (blocks + 1) + b].
        let prefix: [Int]

        init(height: Int, width: Int, gridWidth: Int, box: [(rows: Int, columns: Int)]) {
            (self.height, self.width, self.gridWidth, self.box) = (height, width, gridWidth, box)
            lanes = box.count
            blocks = ScaleSimModel.ceilDiv(lanes, width)
            var prefix = [Int](repeating: 0, count: width * (blocks + 1))
            for c in 0..<width {
                for b in 0..<blocks {
                    let lane = b * width + c
                    let here = lane < lanes ? box[lane].rows * box[lane].columns : 0
                    prefix[c * (blocks + 1) + b + 1] = prefix[c * (blocks + 1) + b] + here
                }
            }
            self.prefix = prefix
        }

        var valid: Int { (0..<width).reduce(0) { $0 + prefix[$1 * (blocks + 1) + blocks] } }

        /// Valid entries of column c in the stacked rows 0..<top.
        @inline(__always) func below(_ c: Int, _ top: Int) -> Int {
            guard top > 0 else { return 0 }
            let (b, g) = top.quotientAndRemainder(dividingBy: height)
            guard b < blocks else { return prefix[c * (blocks + 1) + blocks] }
            var count = prefix[c * (blocks + 1) + b]
            let lane = b * width + c
            if lane < lanes, g > 0 {
                // Grid points of the box with index ≤ g − 1, row-major.
                let (gy, gx) = (g - 1).quotientAndRemainder(dividingBy: gridWidth), (ry, rx) = box[lane]
                count += min(gy, ry) * rx + (gy < ry ? min(gx + 1, rx) : 0)
            }
            return count
        }

        /// Valid entries before the element on diagonal d in column c0.
        func before(diagonal d: Int, column c0: Int) -> Int {
            var total = 0
            for c in 0..<width { total += below(c, d - c + (c < c0 ? 1 : 0)) }
            return total
        }

        @inline(__always) func isValid(row: Int, column c: Int) -> Bool {
            guard row >= 0, row < blocks * height else { return false }
            let (b, g) = row.quotientAndRemainder(dividingBy: height), lane = b * width + c
            guard lane < lanes else { return false }
            let (gy, gx) = g.quotientAndRemainder(dividingBy: gridWidth)
            return gy < box[lane].rows && gx < box[lane].columns
        }

        /// The valid element of rank q (0 ≤ q < valid): its diagonal and column (nil: not found, a broken
        /// invariant the walk reports through `Ring.consistent`).
        func element(rank q: Int) -> (diagonal: Int, column: Int)? {
            var (lo, hi) = (0, blocks * height + width - 2)
            while lo < hi {     // the last diagonal with at most q valid entries before it
                let mid = lo + (hi - lo + 1) / 2
                if before(diagonal: mid, column: 0) <= q { lo = mid } else { hi = mid - 1 }
            }
            var count = before(diagonal: lo, column: 0)
            for c in 0..<width where isValid(row: lo - c, column: c) {
                if count == q { return (lo, c) }
                count += 1
            }
            return nil
        }

        /// Per column, the first row at or after rank q's element (an unbounded row for q = valid).
        func thresholds(rank q: Int, valid: Int) -> [Int]? {
            guard q < valid else { return [Int](repeating: Int.max / 4, count: width) }
            guard let (d, c0) = element(rank: q) else { return nil }
            return (0..<width).map { d - $0 + ($0 < c0 ? 1 : 0) }
        }
    }

    /// os and ws: `passes` passes over the folds, fold f streaming block f's lanes; lane x's requests are its
    /// valid grid indices g ascending at key (g + x)·width + x, demand row f·perFold + rowOffset + g + x.
    /// The cells' members name a lane offset (ws: window index, os: pixel), placed here per lane.
    /// Stops once `work` is spent (`ScaleSimWork`: a step per lane visited, per cell examined and per held
    /// interval placed, and the window's edges per miss) or its folds so far project past it (`onTrack`),
    /// leaving the ring part-walked.
    static func diagonalWalk(_ layout: Diagonal, lanes cellsOf: (Int) -> [Cell], passes: Int, perFold: Int,
                             rowOffset: Int, ring: inout Ring, work: ScaleSimWork) {
        let w = layout.width, gw = layout.gridWidth
        @inline(__always) func place(_ m: Member, lane: Int) -> Member {
            let p = lane + m.column
            return Member(column: p % w, offset: (p / w) * layout.height + m.offset)
        }
        var tables: [[Cell]?] = Array(repeating: nil, count: layout.lanes)
        func table(_ lane: Int) -> [Cell] {
            if let t = tables[lane] { return t }
            let t = cellsOf(lane)
            tables[lane] = t
            return t
        }
        // The window's rows per column: range q holds rows low[q·w + c]..<high[q·w + c] of column c.
        // Window edges fall on line starts, which later passes revisit: each is placed once.
        var low: [Int] = [], high: [Int] = [], placed: [Int: [Int]] = [:]
        func thresholds(_ rank: Int) -> [Int] {
            if let t = placed[rank] { return t }
            guard let t = layout.thresholds(rank: rank, valid: ring.valid) else {
                ring.consistent = false
                return [Int](repeating: Int.max / 4, count: layout.width)
            }
            placed[rank] = t
            return t
        }
        func window() {
            low.removeAll(keepingCapacity: true)
            high.removeAll(keepingCapacity: true)
            for range in ring.ranges {
                low += thresholds(range.lowerBound)
                high += thresholds(range.upperBound)
            }
        }
        window()
        var intervals: [Range<Int>] = []
        for pass in 0..<passes {
            for b in 0..<layout.blocks {
                let fold = pass * layout.blocks + b, used = min(w, layout.lanes - b * w)
                guard work.onTrack(done: fold, of: passes * layout.blocks) else { return }
                var after = -1
                while true {
                    var best: (key: Int, x: Int, g: Int, cell: Int)?
                    var steps = w
                    // Lanes from the one holding the next key: an early near miss bounds the rest.
                    for t in 0..<w {
                        let x = (after + 1 + t) % w
                        guard x < used else { continue }
                        let from = ScaleSimModel.floorDiv(after - x, w) - x + 1
                        if let best, (max(0, from) + x) * w + x >= best.key { continue }
                        let cells = table(b * w + x)
                        steps += cells.count
                        for index in cells.indices {
                            guard let start = cells[index].first(from: from, width: gw) else { continue }
                            if let best, (start + x) * w + x >= best.key { continue }
                            intervals.removeAll(keepingCapacity: true)
                            var covered = false
                            for raw in cells[index].members where !covered {
                                let member = place(raw, lane: b * w + x)
                                for q in stride(from: member.column, to: low.count, by: w)
                                where high[q] > low[q] {
                                    let held = (low[q] - member.offset)..<(high[q] - member.offset)
                                    // One interval holding the rest of the cell: no miss there (the usual case).
                                    if held.lowerBound <= start && held.upperBound > cells[index].last(width: gw) {
                                        covered = true
                                    }
                                    intervals.append(held)
                                }
                            }
                            steps += intervals.count
                            if covered { continue }
                            intervals.sort { $0.lowerBound < $1.lowerBound }
                            guard let g = firstMiss(cells[index], from: start, width: gw, held: intervals)
                            else { continue }
                            let key = (g + x) * w + x
                            if best == nil || key < best!.key { best = (key, x, g, index) }
                        }
                    }
                    guard work.spend(steps) else { return }
                    guard let best else { break }
                    let cell = table(b * w + best.x)[best.cell]
                    let ranks = cell.members.map { raw in
                        let member = place(raw, lane: b * w + best.x)
                        let row = best.g + member.offset
                        return layout.before(diagonal: row + member.column, column: member.column)
                    }
                    ring.miss(ranks: ranks, row: fold * perFold + rowOffset + best.g + best.x)
                    window()
                    work.spend(ranks.count + low.count)
                    after = best.key
                }
            }
        }
    }
}
