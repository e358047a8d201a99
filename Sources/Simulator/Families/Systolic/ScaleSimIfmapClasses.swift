import Hardware

/// CALC mode's weight-stationary ifmap DRAM reads for any channel count (ResNet-50's conv1, C = 3 on 32
/// rows, as well as whole R-channel slices), from the window-offset classes instead of the requests: the same
/// count as `ScaleSimIfmapReplay.replay` (the request-by-request oracle beside it).
///
/// `read_buffer_estimate_bw`'s drop rule records a request when no request of its word came since the
/// last drop D, and drops after `segment` records. So the records in (D, X] are the requests t there whose
/// previous request of the same word, prev(t), is at or before D (or absent); D moves to the
/// `segment`-th one. The count needs only that query.
///
/// prev(t) has a closed form. Request (pixel i, window index j) of a ws fold sits at key (i + x)·R + x
/// (x = j − j₀ its lane; demand row i + x, lanes ascending), in folds `for pass: for K fold:`. Window index
/// j' = (r', s', ch) requests the same word as j = (r, s, ch) at pixel i + δ with δ = (Δy·Q + Δx),
/// Δy = (r − r')/stride, Δx = (s − s')/stride (both integers), when that pixel exists: (oy, ox) in a box.
/// Its nearest earlier request (this fold, an earlier K fold, or the previous pass) lies a fixed key
/// offset before t, whatever i. So, per lane and per *cell* of the (oy, ox) grid cut at every box edge
/// (at most 2·⌊(R_k − 1)/stride⌋ + R_k + 3 rows, the kernel's reach from both edges and where each window
/// row leaves the input, by as many columns: independent of the layer's size), prev(t) is
/// t + (the offset of the first class member, latest first, whose box holds the cell), and the records of
/// a lane's cell in a key range are its pixels in a row-major index range: O(1).
///
/// Lanes of a fold with the same window position and class rules (all R of them when C is a multiple of R:
/// then every member's lane is the lane itself) share their cells; such a *lane group*'s records in a key
/// range are two runs of consecutive pixel indices per cell (`Cell.laneSum`), O(1) however many lanes.
///
/// Cost: O(K × class size + lane groups × cells × class size) once, then O(lane groups × cells) per fold
/// scanned and per probe of the binary search that places each drop (⌈log₂ keys⌉ probes):
/// O((folds + drops · log(M·R)) · groups · cells), never a step per request or per pixel. Passes after the
/// first share one table (the same offsets).
enum ScaleSimIfmapClasses {
    /// A cell of one lane: pixels oy ∈ [y0, y1), ox ∈ [x0, x1), and prev's key offset (nil: no earlier request).
    struct Cell {
        var y0: Int, y1: Int, x0: Int, x1: Int
        var offset: Int?
    }

    /// Consecutive lanes xa...xb of a fold whose cells (`cells[start..<end]`) are the same: their offsets
    /// are too, so their records in a key range are one `Cell.laneSum` per cell, whatever the lane count.
    struct LaneGroup { var xa: Int, xb: Int, start: Int, end: Int }

    /// A class member's previous-request rule: its key offset and the box of pixels where it exists.
    struct Candidate: Equatable { var offset: Int, y0: Int, y1: Int, x0: Int, x1: Int }

    /// The ws count, or nil when the layer is not a plain convolution.
    static func wsDramReads(_ l: ScaleSimLayer, conv c: ScaleSimLayer.Convolution, rows r: Int, columns cols: Int,
                            bufferWords: Int, work: ScaleSimWork = .unlimited) -> Int? {
        let (m, n, k) = (l.m, l.n, l.k)
        guard m == c.p * c.q, k == c.r * c.s * c.c, m > 0, k > 0, n > 0, r > 0, cols > 0 else { return nil }
        let cd = ScaleSimModel.ceilDiv
        let segment = ScaleSimModel.dropSegment(bufferWords: bufferWords)
        let (pp, qq, st) = (c.p, c.q, max(1, c.stride))
        let kFolds = cd(k, r), passes = cd(n, cols)
        let span = (m + r) * r + r          // keys per fold: every (i + x)·R + x < span
        let ys = ScaleSimIfmapBlocks.cuts(pp, c.r, c.h, st), xs = ScaleSimIfmapBlocks.cuts(qq, c.s, c.w, st)
        // Lane groups of fold fr: groups[groupStart[later·kFolds + fr] ..< groupStart[… + 1]], later = 0 for the
        // first pass, 1 for later passes (the previous pass's requests are candidates too).
        var cells: [Cell] = [], groups: [LaneGroup] = [], groupStart = [0]
        var candidates: [Candidate] = [], previous: [Candidate] = []
        // The class of window index j = (cr, cc, ch), lane x of fold fr: the window indices with the same channel
        // whose offsets differ by whole strides, as previous-request rules, latest first.
        func collectCandidates(_ j: Int, lane x: Int, fold fr: Int, later: Bool, _ cr: Int, _ cc: Int, _ ch: Int) {
            candidates.removeAll(keepingCapacity: true)
            for rr in stride(from: cr % st, to: c.r, by: st) {
                for ss in stride(from: cc % st, to: c.s, by: st) {
                    let j2 = (rr * c.s + ss) * c.c + ch
                    let (dy, dx) = ((cr - rr) / st, (cc - ss) / st)
                    let (fr2, x2) = j2.quotientAndRemainder(dividingBy: r)
                    let dKey = (dy * qq + dx + x2 - x) * r + (x2 - x)
                    let offset: Int
                    if fr2 < fr || (fr2 == fr && j2 != j && dKey < 0) { offset = (fr2 - fr) * span + dKey }
                    else if later { offset = (fr2 - fr - kFolds) * span + dKey }
                    else { continue }
                    candidates.append(Candidate(offset: offset, y0: max(0, -dy), y1: min(pp, pp - dy),
                                                x0: max(0, -dx), x1: min(qq, qq - dx)))
                }
            }
            candidates.sort { $0.offset > $1.offset }
        }
        // Appends the cells of a lane at window position (cr, cc) under `candidates`: its valid pixels (the window
        // inside the input), each cell with the rule of the first candidate whose box holds it.
        func appendCells(_ cr: Int, _ cc: Int) {
            let vy = min(pp, max(0, cd(c.h - cr, st))), vx = min(qq, max(0, cd(c.w - cc, st)))
            let first = cells.count
            for a in 0..<(ys.count - 1) where ys[a + 1] <= vy {
                for b in 0..<(xs.count - 1) where xs[b + 1] <= vx {
                    let (y0, y1, x0, x1) = (ys[a], ys[a + 1], xs[b], xs[b + 1])
                    guard y1 > y0, x1 > x0 else { continue }
                    let hit = candidates.first { $0.y0 <= y0 && y1 <= $0.y1 && $0.x0 <= x0 && x1 <= $0.x1 }
                    // Merge with the previous cell of the same row band when prev's rule is the same.
                    if cells.count > first, let last = cells.last, last.y0 == y0, last.y1 == y1, last.x1 == x0,
                       last.offset == hit?.offset {
                        cells[cells.count - 1].x1 = x1
                    } else {
                        cells.append(Cell(y0: y0, y1: y1, x0: x0, x1: x1, offset: hit?.offset))
                    }
                }
            }
        }
        for later in 0..<(passes > 1 ? 2 : 1) {
            for fr in 0..<kFolds {
                let j0 = fr * r, width = min(k, j0 + r) - j0
                var window = (-1, -1)
                for x in 0..<width {
                    let (cr, rest) = (j0 + x).quotientAndRemainder(dividingBy: c.s * c.c)
                    let (cc, ch) = rest.quotientAndRemainder(dividingBy: c.c)
                    collectCandidates(j0 + x, lane: x, fold: fr, later: later == 1, cr, cc, ch)
                    // The lane before had the same window position and rules: the same cells.
                    if window == (cr, cc) && candidates == previous {
                        groups[groups.count - 1].xb = x
                        continue
                    }
                    (window, previous) = ((cr, cc), candidates)
                    let first = cells.count
                    appendCells(cr, cc)
                    groups.append(LaneGroup(xa: x, xb: x, start: first, end: cells.count))
                }
                groupStart.append(groups.count)
            }
        }
        // Cells evaluated by one pass over a fold's table: the steps a count spends.
        let cellsIn = (0..<(groupStart.count - 1)).map { t in
            groups[groupStart[t]..<groupStart[t + 1]].reduce(0) { $0 + $1.end - $1.start }
        }
        // Records with keys in (d, top] in fold f (global keys: f·span + the fold's own): lane x's pixels i with
        // d < (i + x)·R + x + f·span ≤ min(top, d − offset), offsets being negative. The requests at or
        // before d do not depend on top: kept for the binary search's probes, which share f and d.
        var kept = (f: -1, d: 0, requests: 0)
        func count(_ f: Int, after d: Int, through top: Int) -> Int {
            guard top > d else { return 0 }
            let (pass, fr) = f.quotientAndRemainder(dividingBy: kFolds)
            let table = (pass > 0 ? kFolds : 0) + fr, origin = f * span
            let range = groupStart[table]..<groupStart[table + 1]
            work.spend(4 * (1 + cellsIn[table]))
            if kept.f != f || kept.d != d {
                work.spend(4 * (1 + cellsIn[table]))
                var requests = 0
                if d >= origin {
                    for g in groups[range] {
                        for cell in cells[g.start..<g.end] {
                            requests += cell.laneSum(d - origin, g.xa, g.xb, r: r, q: qq)
                        }
                    }
                }
                kept = (f, d, requests)
            }
            var total = 0
            for g in groups[range] {
                for cell in cells[g.start..<g.end] {
                    let hi = cell.offset.map { min(top, d - $0) } ?? top
                    total += cell.laneSum(hi - origin, g.xa, g.xb, r: r, q: qq)
                }
            }
            return total - kept.requests
        }
        let folds = passes * kFolds
        return dropRuleRecords(folds: folds, span: span, segment: segment, work: work, count: count)
    }

    /// The records of `read_buffer_estimate_bw`'s drop rule over `folds` folds of `span` keys each, given
    /// `count(f, after: d, through: x)`, the records of fold f with keys in (d, x] since a drop at d: the
    /// drop after each `segment` records is placed by binary search inside its fold. Shared by the ws count
    /// and the pixel-block counts (`ScaleSimIfmapBlocks`). Nil once `work`, which `count` spends, is gone.
    static func dropRuleRecords(folds: Int, span: Int, segment: Int, work: ScaleSimWork,
                                count: (_ f: Int, _ after: Int, _ through: Int) -> Int) -> Int? {
        var drop = -1, drops = 0
        while true {
            var before = 0, placed = false
            var f = max(0, drop) / span
            while f < folds {
                let end = (f + 1) * span - 1
                let here = count(f, drop, end)
                if work.exhausted { return nil }
                if before + here >= segment {
                    var (lo, hi) = (max(drop + 1, f * span), end)
                    while lo < hi {
                        let mid = lo + (hi - lo) / 2
                        if before + count(f, drop, mid) >= segment { hi = mid } else { lo = mid + 1 }
                    }
                    if work.exhausted { return nil }
                    (drop, drops, placed) = (lo, drops + 1, true)
                    break
                }
                before += here
                f += 1
            }
            if !placed { return drops * segment + before }
        }
    }
}
