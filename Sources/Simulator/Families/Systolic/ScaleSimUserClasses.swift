import Hardware

/// USER mode's ifmap read buffer for a convolution (`ScaleSimUserReplay`'s `Result`, the same advances and
/// (row, misses) events exactly), walked from miss to miss instead of request by request; the replay stays
/// beside it as its test oracle.
///
/// The replay's only state is the window's first line w: between two misses it is fixed. So the walk
/// repeatedly finds the first request, in demand order, none of whose word's entries lies in the window,
/// takes the steps the replay would (over that word's entries: the least ⌈(d − active + 1)/step⌉, d the
/// entry's line ahead of w on the ring), records the event and moves w.
///
/// Entries of a word. Request (pixel i = (oy, ox), window index j = (r, s, ch)) reads input word
/// (oy·stride + r, ox·stride + s, ch), which every (i + Δy·Q + Δx, (r − Δy·stride, s − Δx·stride, ch))
/// also reads where that pixel and that window index exist: a box condition on the lane's request grid.
/// So a lane's valid requests split into cells (`cells`, cut at those box edges: a number independent of
/// the layer's size, as in `ScaleSimIfmapClasses`) with a fixed list of entries, each at a fixed offset
/// in the prefetch matrix's own row space and a fixed column. Rank (position among valid entries) has a
/// closed form in each layout (`Diagonal`), and the window's rank ranges become, per column, a range of
/// rows; so "held" is, per cell, a union of at most 2 × (class size) intervals of the grid index, and a
/// cell's first miss after a key is its first index outside them: O(class size · log) per lane-cell.
///
/// Cost: O(width × cells × class size) per fold scanned and per miss event (a cell held whole by one entry,
/// the usual case, costs one interval test; the window's edges are placed once per line: O(width · log)),
/// plus the cells once per window position (ws, is: shared by the channels) or per edge distance (os);
/// never a step per request. Measured (release, whole `lpsim simulate` process, 32×32, 16 KiB, USER):
/// ResNet-50's 3×3 conv on 56×56×64 takes 24–31 ms against the replay's 72–194 ms, and all of ResNet-50
/// 148–269 ms against 468–1539 ms, with byte-identical output.
///
/// All three dataflows. os and ws (`diagonalWalk`): a fold's lanes are its block's window indices (ws) or
/// pixels (os), each streaming its grid in order, in passes over the same ring. is (`stationaryWalk`): a
/// fold demands its window indices from the top down over its pixel block, each a lane of the output grid
/// restricted to the block's pixels. Unlike the replay there is no request limit: a step allowance instead
/// (`work`), past which the caller keeps the per-position estimate and says so.
enum ScaleSimUserClasses {
    typealias Result = ScaleSimUserReplay.Result

    /// The ifmap buffer's prefetches and the demand rows that wait for them, or nil when the layer is not a
    /// plain convolution (M ≠ P·Q or K ≠ R·S·C) or the walk spent `work` (`ScaleSimWork`, as CALC's exact
    /// count; 1-4 s at `ScaleSimIfmapReplay.workLimit`), or projected past it, before it ended.
    static func ifmap(_ l: ScaleSimLayer, conv c: ScaleSimLayer.Convolution, rows r: Int, columns cols: Int,
                      dataflow df: SystolicModel.Dataflow, bufferWords: Int,
                      work: ScaleSimWork = .unlimited) -> Result? {
        let (m, n, k) = (l.m, l.n, l.k)
        guard m == c.p * c.q, k == c.r * c.s * c.c, m > 0, n > 0, k > 0, r > 0, cols > 0, c.stride > 0
        else { return nil }
        let cd = ScaleSimModel.ceilDiv, st = c.stride
        // Valid extents: window row r fits at output rows oy < vy[r], window column s at ox < vx[s].
        let vy = (0..<c.r).map { min(c.p, max(0, cd(c.h - $0, st))) }
        let vx = (0..<c.s).map { min(c.q, max(0, cd(c.w - $0, st))) }
        let passes = cd(n, cols)
        switch df {
        case .ws:
            let layout = Diagonal(height: m, width: r, gridWidth: c.q, box: (0..<k).map { j in
                let (cr, rest) = j.quotientAndRemainder(dividingBy: c.s * c.c)
                return (vy[cr], vx[rest / c.c])
            })
            var ring = Ring(valid: layout.valid, bufferWords: bufferWords)
            guard ring.step > 0 else { return Result(advances: 0, events: []) }
            // A lane's cells depend on its window position (r, s) only, with entries relative to the lane
            // (window index j' − j), so the channels share them.
            var shared: [[Cell]?] = Array(repeating: nil, count: c.r * c.s)
            diagonalWalk(layout, lanes: { j in
                if let cells = shared[j / c.c] { return cells }
                let cells = wsCells(c, lane: j, vy: vy, vx: vx) { Member(column: $0 - j, offset: $1) }
                shared[j / c.c] = cells
                return cells
            }, passes: passes, perFold: m + 2 * r + cols - 2, rowOffset: r, ring: &ring, work: work)
            return ring.result(after: work)
        case .os:
            let layout = Diagonal(height: k, width: r, gridWidth: c.s * c.c, box: (0..<m).map { i in
                let (oy, ox) = i.quotientAndRemainder(dividingBy: c.q)
                return (min(c.r, max(0, c.h - oy * st)), min(c.s, max(0, c.w - ox * st)) * c.c)
            })
            var ring = Ring(valid: layout.valid, bufferWords: bufferWords)
            guard ring.step > 0 else { return Result(advances: 0, events: []) }
            // A lane's cells depend on its pixel only through its distances to the grid's edges (its
            // entries' pixels are relative: `osCells`), so lanes share them.
            var shared: [[Int]: [Cell]] = [:]
            let (ry, rx) = ((c.r - 1) / st, (c.s - 1) / st)
            diagonalWalk(layout, lanes: { i in
                let (oy, ox) = i.quotientAndRemainder(dividingBy: c.q), box = layout.box[i]
                let key = [box.rows, box.columns, min(oy, ry), min(c.p - 1 - oy, ry), min(ox, rx),
                           min(c.q - 1 - ox, rx)]
                if let cells = shared[key] { return cells }
                let cells = osCells(c, lane: i, box: box)
                shared[key] = cells
                return cells
            }, passes: passes, perFold: k + r + cols - 2, rowOffset: 0, ring: &ring, work: work)
            return ring.result(after: work)
        case .is:
            let layout = Stationary(c, columns: cols, vy: vy, vx: vx)
            var ring = Ring(valid: layout.valid, bufferWords: bufferWords)
            guard ring.step > 0 else { return Result(advances: 0, events: []) }
            stationaryWalk(layout, rows: r, perFold: n + 2 * r + cols - 2, ring: &ring, work: work)
            return ring.result(after: work)
        }
    }

    /// ws (and is) lane j = (r, s, ch): its grid is the output grid; the entries of its word are the window
    /// indices j' = (r', s', ch) with r' ≡ r, s' ≡ s (mod stride), at pixel i + Δy·Q + Δx. `place` makes an
    /// entry's member from j' and Δy·Q + Δx (both walks: j' − j and the pixel offset, relative to the lane).
    static func wsCells(_ c: ScaleSimLayer.Convolution, lane j: Int, vy: [Int], vx: [Int],
                        member place: (Int, Int) -> Member) -> [Cell] {
        let st = c.stride
        let (cr, rest) = j.quotientAndRemainder(dividingBy: c.s * c.c)
        let (cc, ch) = rest.quotientAndRemainder(dividingBy: c.c)
        var boxes: [(y0: Int, y1: Int, x0: Int, x1: Int, member: Member)] = []
        for rr in stride(from: cr % st, to: c.r, by: st) {
            for ss in stride(from: cc % st, to: c.s, by: st) {
                let j2 = (rr * c.s + ss) * c.c + ch, (dy, dx) = ((cr - rr) / st, (cc - ss) / st)
                let box = (max(0, -dy), min(c.p, c.p - dy), max(0, -dx), min(c.q, c.q - dx), place(j2, dy * c.q + dx))
                // The request's own entry first: the walk stops at the first entry that holds a whole cell.
                if dy == 0 && dx == 0 { boxes.insert(box, at: 0) } else { boxes.append(box) }
            }
        }
        return cells(rows: vy[cr], columns: vx[cc], boxes: boxes)
    }

    /// os lane i = (oy, ox): its grid is the window grid R × S·C (index j); the entries of its word are at
    /// pixels i + Δy·Q + Δx, window index j − (Δy·S + Δx)·stride·C: members relative to the lane (column
    /// Δy·Q + Δx, offset −(Δy·S + Δx)·stride·C), which `diagonalWalk` places (block i' / R, column i' mod R).
    static func osCells(_ c: ScaleSimLayer.Convolution, lane i: Int, box: (rows: Int, columns: Int)) -> [Cell] {
        let st = c.stride, u = c.s * c.c
        let (oy, ox) = i.quotientAndRemainder(dividingBy: c.q)
        let (ry, rx) = ((c.r - 1) / st, (c.s - 1) / st)
        var boxes: [(y0: Int, y1: Int, x0: Int, x1: Int, member: Member)] = []
        for dy in -ry...ry where oy + dy >= 0 && oy + dy < c.p {
            for dx in -rx...rx where ox + dx >= 0 && ox + dx < c.q {
                let member = Member(column: dy * c.q + dx, offset: -(dy * u + dx * c.c) * st)
                let box = (max(0, dy * st), min(c.r, c.r + dy * st),
                           max(0, dx * st * c.c), min(u, (c.s + dx * st) * c.c), member)
                // The request's own entry first: the walk stops at the first entry that holds a whole cell.
                if dy == 0 && dx == 0 { boxes.insert(box, at: 0) } else { boxes.append(box) }
            }
        }
        return cells(rows: box.rows, columns: box.columns, boxes: boxes.filter { $0.y0 < $0.y1 && $0.x0 < $0.x1 })
    }
}
