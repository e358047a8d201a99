extension ScaleSimUserClasses {
    /// The read buffer's ring (`prepare_hashed_buffer`, `new_prefetch`): `lines` lines of `perSet` valid
    /// entries (the last one partial), `active` of them in the window from line `window`, which a miss moves
    /// forward `step` lines at a time (wrapping) until a line of the demanded word is in it.
    struct Ring {
        let perSet: Int, lines: Int, active: Int, step: Int, valid: Int
        var window = 0, advances = 0
        var events: [(row: Int, misses: Int)] = []
        /// False once an invariant of the walk failed (a miss whose word is held, a rank off its diagonal):
        /// never seen on any tested case; the caller then keeps the per-position estimate and says so, instead
        /// of a wrong count or a trap.
        var consistent = true

        /// The walk's result: nil when an invariant failed or the walk stopped on its allowance.
        func result(after work: ScaleSimWork) -> Result? {
            consistent && !work.exhausted ? Result(advances: advances, events: events) : nil
        }

        /// The replay's ring for `valid` entries in a buffer of `bufferWords` words.
        init(valid: Int, bufferWords: Int) {
            let cd = ScaleSimModel.ceilDiv
            perSet = max(1, cd(bufferWords, 100))
            lines = valid / perSet + 1
            let activeWords = (bufferWords + 1) / 2
            active = min(lines, cd(activeWords, perSet))
            // active ≥ step always (the active half is the larger): a word's first held step never wraps.
            step = min(lines - active, cd(bufferWords - activeWords, perSet))
            self.valid = valid
        }

        /// The window's entries as rank ranges (two when it wraps; empty ones dropped).
        var ranges: [Range<Int>] {
            let end = window + active
            let parts = end <= lines ? [(window, end)] : [(window, lines), (0, end - lines)]
            return parts.compactMap { lo, hi in
                let range = min(valid, lo * perSet)..<min(valid, hi * perSet)
                return range.isEmpty ? nil : range
            }
        }

        /// The steps until the line holding `rank` is in the window (nil: the line is in it already).
        func steps(toReach rank: Int) -> Int? { steps(toLine: rank / perSet) }

        /// The steps until `line` is in the window (nil: it is in it already).
        func steps(toLine line: Int) -> Int? {
            let d = ((line - window) % lines + lines) % lines
            return d >= active ? ScaleSimModel.ceilDiv(d - active + 1, step) : nil
        }

        /// Moves the window until `line` is in it (`new_prefetch`); the steps it took, 0 when it was held.
        mutating func reach(line: Int) -> Int {
            guard let k = steps(toLine: line) else { return 0 }
            window = (window + k * step) % lines
            advances += k
            return k
        }

        /// Records a miss at demand row `row` whose word's entries have the ranks `ranks`.
        mutating func miss(ranks: [Int], row: Int) {
            let steps = ranks.compactMap(steps(toReach:))
            guard let k = steps.min(), steps.count == ranks.count else { consistent = false; return }
            window = (window + k * step) % lines
            advances += k
            if let e = events.last, e.row == row { events[events.count - 1].misses += k }
            else { events.append((row, k)) }
        }
    }

    /// One occurrence of a lane's word elsewhere in the prefetch matrix: at column `column`, row
    /// (the request's grid index + `offset`) of the layout's own row space.
    struct Member: Equatable {
        var column: Int, offset: Int
    }

    /// A box of a lane's request grid (rows y0..<y1, columns x0..<x1, row-major index y·width + x) in which
    /// the same occurrences exist.
    struct Cell {
        var y0: Int, y1: Int, x0: Int, x1: Int
        var members: [Member]

        /// The box's last grid index.
        @inline(__always) func last(width: Int) -> Int { (y1 - 1) * width + x1 - 1 }

        /// The first grid index ≥ v inside the box, nil when none.
        @inline(__always) func first(from v: Int, width: Int) -> Int? {
            let (gy, gx) = max(0, v).quotientAndRemainder(dividingBy: width)
            if gy < y0 { return y0 * width + x0 }
            if gy >= y1 { return nil }
            if gx < x0 { return gy * width + x0 }
            if gx >= x1 { return gy + 1 < y1 ? (gy + 1) * width + x0 : nil }
            return max(0, v)
        }
    }

    /// The cells of a lane whose valid requests are the box [0, rows) × [0, columns): cut at every edge of
    /// its occurrences' boxes (`boxes`: y0, y1, x0, x1 where that occurrence exists), neighbours in a row
    /// band merged when their occurrence lists agree.
    static func cells(rows: Int, columns: Int, boxes: [(y0: Int, y1: Int, x0: Int, x1: Int, member: Member)])
        -> [Cell] {
        guard rows > 0, columns > 0 else { return [] }
        func cuts(_ extent: Int, _ edges: [Int]) -> [Int] {
            var out: [Int] = []
            for e in ([0, extent] + edges.map { min(extent, max(0, $0)) }).sorted() where out.last != e {
                out.append(e)
            }
            return out
        }
        let ys = cuts(rows, boxes.flatMap { [$0.y0, $0.y1] }), xs = cuts(columns, boxes.flatMap { [$0.x0, $0.x1] })
        var out: [Cell] = []
        for a in 0..<(ys.count - 1) {
            for b in 0..<(xs.count - 1) {
                let (y0, y1, x0, x1) = (ys[a], ys[a + 1], xs[b], xs[b + 1])
                let members = boxes.filter { $0.y0 <= y0 && y1 <= $0.y1 && $0.x0 <= x0 && x1 <= $0.x1 }.map(\.member)
                if let last = out.last, last.y0 == y0, last.x1 == x0, last.members == members {
                    out[out.count - 1].x1 = x1
                } else {
                    out.append(Cell(y0: y0, y1: y1, x0: x0, x1: x1, members: members))
                }
            }
        }
        return out
    }

    /// The first grid index ≥ `from` of `cell` outside every interval of `held` (sorted by lower bound).
    @inline(__always) static func firstMiss(_ cell: Cell, from: Int, width: Int, held: [Range<Int>]) -> Int? {
        guard var at = cell.first(from: from, width: width) else { return nil }
        for range in held {
            if range.lowerBound > at { break }
            if range.upperBound > at {
                guard let next = cell.first(from: range.upperBound, width: width) else { return nil }
                at = next
            }
        }
        return at
    }
}
