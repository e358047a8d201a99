import Hardware

/// The drop search of `ScaleSimIfmapClasses` for dataflows whose folds cut the ofmap pixels into blocks
/// (is: blocks of `columns` pixels, os: of R), shared by `isDramReads` and `osDramReads`.
///
/// A fold's lane is one window index j; its requests are the block's pixels at block positions
/// x ∈ [0, w), keys `laneBase + x·step`. The same word is requested by class member j' (same channel, window
/// offsets a whole number of strides apart: Δy, Δx) at pixel i + δ, δ = Δy·Q + Δx, when (oy + Δy, ox + Δx)
/// is in the output grid: a box, whole on each cell of the grid cut at the kernel's reach and the validity
/// edges (as `wsDramReads` cuts it). That pixel lies in block b + Δb, Δb = ⌊(x + δ) / B⌋, so the member's
/// key offset is fixed on each cell and on each range of x between the cuts x ≡ −δ (mod B): a lane's cell
/// splits into at most (class size + 1) *pieces*, each with prev(t) = t + (the largest negative offset
/// among the members live there), and its records in a key range are the cell's pixels in a row-major
/// index range: O(1). Blocks start at multiples of B, so a cell's pieces depend on (j, cell) only, except in
/// the last, narrower block and (os) in passes after the first, where the previous pass's requests are
/// candidates too (its offsets, one pass of keys further back); they are built once, when first needed.
///
/// Under is, consecutive lanes with the same pieces (a window position's channels when C is a multiple of
/// R), each one full block width B of keys after the next (a narrower last block leaves gaps, so that no
/// offset depends on the lane), form a *run*, counted at once: all but two lanes of a run take a piece whole.
///
/// Cost: O(class · log class) per (j, cell, kind) built, then O(runs × (cells the block meets) × pieces)
/// per fold scanned and per probe of the binary search that places each drop: never a step per request.
struct ScaleSimIfmapBlocks {
    /// A class member of window index j: its index, pixel shift δ and the box of pixels where it exists.
    struct Member { var j: Int, delta: Int, y0: Int, y1: Int, x0: Int, x1: Int }
    /// Block positions x ∈ [lo, hi) of a lane and cell whose previous request lies `offset` keys back
    /// (nil: none earlier).
    struct Piece { var lo: Int, hi: Int, offset: Int? }

    let conv: ScaleSimLayer.Convolution
    /// Pixels per block, blocks, the last block's width; sub-folds per block (is: K folds), passes (os: N folds).
    let block: Int, blocks: Int, lastWidth: Int, subFolds: Int, passes: Int
    /// Keys per fold (every in-fold key is below it), and between a lane's consecutive pixels.
    let span: Int, step: Int
    /// The window indices of sub-fold s.
    let lanes: (_ s: Int) -> ClosedRange<Int>
    /// In-fold key of lane j's block position 0 in sub-fold s (any block: a narrower last one leaves gaps).
    let laneBase: (_ s: Int, _ j: Int) -> Int
    /// Key of member e's request minus that of lane j's request at block position x, same pass.
    let offset: (_ j: Int, _ e: Member, _ x: Int) -> Int
    /// Whether the class holds j itself (its request one pass earlier: os).
    let includesSelf: Bool

    /// The count of records (`read_buffer_estimate_bw`'s DRAM reads) with drops every `segment` records, or
    /// nil once `work` is spent (a count spends a step per run and cell it visits).
    func dramReads(k: Int, segment: Int, work: ScaleSimWork) -> Int? {
        let c = conv
        let cd = ScaleSimModel.ceilDiv
        let (pp, qq, st) = (c.p, c.q, max(1, c.stride))
        let ys = Self.cuts(pp, c.r, c.h, st), xs = Self.cuts(qq, c.s, c.w, st)
        let (bandsY, bandsX) = (ys.count - 1, xs.count - 1)
        let passKeys = blocks * subFolds * span
        @inline(__always) func floorDiv(_ a: Int, _ b: Int) -> Int { ScaleSimModel.floorDiv(a, b) }
        // Each window index's class and its valid pixels (window position inside the input: oy < vy, ox < vx).
        // Lane j's members: members[firstMember[j]..<firstMember[j + 1]] (one flat store: no array per lane).
        var members: [Member] = [], firstMember = [0], valid: [(y: Int, x: Int)] = []
        members.reserveCapacity(k * ((c.r - 1) / st + 1) * ((c.s - 1) / st + 1))
        for j in 0..<k {
            let (cr, rest) = j.quotientAndRemainder(dividingBy: c.s * c.c)
            let (cc, ch) = rest.quotientAndRemainder(dividingBy: c.c)
            for rr in stride(from: cr % st, to: c.r, by: st) {
                for ss in stride(from: cc % st, to: c.s, by: st) {
                    let j2 = (rr * c.s + ss) * c.c + ch
                    guard j2 != j || includesSelf else { continue }
                    let (dy, dx) = ((cr - rr) / st, (cc - ss) / st)
                    members.append(Member(j: j2, delta: dy * qq + dx, y0: max(0, -dy), y1: min(pp, pp - dy),
                                       x0: max(0, -dx), x1: min(qq, qq - dx)))
                }
            }
            firstMember.append(members.count)
            valid.append((min(pp, max(0, cd(c.h - cr, st))), min(qq, max(0, cd(c.w - cc, st)))))
        }
        // Each member's key offsets, at block positions before and from its cut x ≡ −δ (mod B) (Δb and Δb + 1),
        // per lane and block width: what a cell's pieces are made of.
        struct Shift: Equatable { var cut: Int, before: Int, from: Int }
        var shifts: [[Shift]] = [[], []]
        for last in 0..<2 {
            let w = last == 1 ? lastWidth : block
            for j in 0..<k {
                for e in members[firstMember[j]..<firstMember[j + 1]] {
                    let cut = ((-e.delta) % block + block) % block
                    let inside = cut > 0 && cut < w
                    shifts[last].append(Shift(cut: inside ? cut : w, before: offset(j, e, 0),
                                              from: inside ? offset(j, e, cut) : 0))
                }
            }
        }
        // Lane j builds the pieces lane j − 1 does: the same valid pixels, member boxes, shifts and offsets.
        func samePieces(_ j: Int) -> Bool {
            let count = firstMember[j + 1] - firstMember[j]
            guard j > 0, valid[j] == valid[j - 1], count == firstMember[j] - firstMember[j - 1] else { return false }
            for n in 0..<count {
                let (e, p) = (members[firstMember[j] + n], members[firstMember[j - 1] + n])
                guard e.delta == p.delta, e.y0 == p.y0, e.y1 == p.y1, e.x0 == p.x0, e.x1 == p.x1,
                      shifts[0][firstMember[j] + n] == shifts[0][firstMember[j - 1] + n],
                      shifts[1][firstMember[j] + n] == shifts[1][firstMember[j - 1] + n] else { return false }
            }
            return true
        }
        // Runs of consecutive lanes of sub-fold s with the same pieces whose block positions 0 step B (a full
        // block's width) down the keys lane by lane, in the last block too (is: one key a pixel):
        // runs[runStart[s]..<runStart[s + 1]]. (os lanes step R up with pixels R + 1 keys apart: no runs, and
        // `ScaleSimIfmapRuns` counts C > 1.)
        var runs: [(first: Int, last: Int)] = [], runStart = [0]
        for s in 0..<subFolds {
            for j in lanes(s) {
                if runStart[s] < runs.count, step == 1, samePieces(j),
                   laneBase(s, j) - laneBase(s, j - 1) == -block {
                    runs[runs.count - 1].last = j
                } else {
                    runs.append((j, j))
                }
            }
            runStart.append(runs.count)
        }
        // The run of each lane: its lanes share their pieces.
        var runOf = [Int32](repeating: 0, count: k)
        for (n, run) in runs.enumerated() { for j in run.first...run.last { runOf[j] = Int32(n) } }
        // Pieces of lane j's run in cell (a, b), slots for (last block?, later pass?): flat[start..<end] (start −1:
        // not built yet). One flat store, so that a fold's scan copies and retains no array.
        var flat: [Piece] = []
        let slots = runs.count * bandsY * bandsX * 4
        var slotStart = [Int32](repeating: -1, count: slots), slotEnd = [Int32](repeating: 0, count: slots)
        @inline(__always) func slot(_ j: Int, _ a: Int, _ x: Int, _ last: Bool, _ later: Bool) -> Int {
            ((Int(runOf[j]) * bandsY + a) * bandsX + x) * 4 + (last ? 1 : 0) + (later ? 2 : 0)
        }
        // Scratch of `build`: the live members' (cut, before, from), by cut; running maxima.
        var live: [Shift] = [], suffix: [Int] = []
        func build(_ slot: Int, _ j: Int, _ a: Int, _ b: Int, last: Bool, later: Bool) {
            let (y0, y1, x0, x1) = (ys[a], ys[a + 1], xs[b], xs[b + 1])
            let w = last ? lastWidth : block
            // The previous request's offset, nil-free: Int.min where the request is none (after t, first pass).
            @inline(__always) func back(_ o: Int) -> Int { o < 0 ? o : later ? o - passKeys : Int.min }
            live.removeAll(keepingCapacity: true)
            let base = firstMember[j]
            for n in 0..<(firstMember[j + 1] - base) {
                let e = members[base + n]
                guard e.y0 <= y0 && y1 <= e.y1 && e.x0 <= x0 && x1 <= e.x1 else { continue }
                let s = shifts[last ? 1 : 0][base + n]
                live.append(Shift(cut: s.cut, before: back(s.before), from: s.cut < w ? back(s.from) : Int.min))
            }
            live.sort { $0.cut < $1.cut }
            // Members whose cut is at or below a piece's start take `from`, the rest `before`.
            suffix.removeAll(keepingCapacity: true)
            suffix.append(Int.min)
            for e in live.reversed() { suffix.append(max(suffix[suffix.count - 1], e.before)) }
            slotStart[slot] = Int32(flat.count)
            var lo = 0, passed = 0, prefix = Int.min
            while lo < w {
                while passed < live.count && live[passed].cut <= lo {
                    prefix = max(prefix, live[passed].from)
                    passed += 1
                }
                let hi = passed < live.count ? live[passed].cut : w
                let best = max(prefix, suffix[live.count - passed])
                let offset: Int? = best == Int.min ? nil : best
                if flat.count > Int(slotStart[slot]), flat[flat.count - 1].offset == offset {
                    flat[flat.count - 1].hi = hi
                } else {
                    flat.append(Piece(lo: lo, hi: hi, offset: offset))
                }
                lo = hi
            }
            slotEnd[slot] = Int32(flat.count)
        }
        // The current block's grid position of block position t ∈ [−1, w) at index t + 1
        // (row −1: before pixel 0).
        var rowOf = [Int](repeating: 0, count: block + 1), columnOf = [Int](repeating: 0, count: block + 1)
        // Pixels of cell (y0..<y1, x0..<x1) at block positions ≤ t of the current block.
        @inline(__always) func through(_ y0: Int, _ y1: Int, _ x0: Int, _ x1: Int, _ t: Int) -> Int {
            let (oy, ox) = (rowOf[t + 1], columnOf[t + 1])
            let full = min(max(oy, y0), y1) - y0
            let part = oy >= y0 && oy < y1 ? min(max(ox + 1 - x0, 0), x1 - x0) : 0
            return full * (x1 - x0) + part
        }
        // The cells block b meets (a superset when it spans rows: every column band).
        var cellsOf = -1, blockCells: [(a: Int, b: Int)] = []
        func cells(_ b: Int, _ w: Int) -> [(a: Int, b: Int)] {
            if cellsOf == b { return blockCells }
            let (yA, xA) = (b * block).quotientAndRemainder(dividingBy: qq)
            let (yB, xB) = (b * block + w - 1).quotientAndRemainder(dividingBy: qq)
            blockCells.removeAll(keepingCapacity: true)
            for a in 0..<bandsY where ys[a + 1] > ys[a] && ys[a] <= yB && ys[a + 1] > yA {
                for x in 0..<bandsX where xs[x + 1] > xs[x] && (yA != yB || (xs[x] <= xB && xs[x + 1] > xA)) {
                    blockCells.append((a, x))
                }
            }
            var (oy, ox) = b == 0 ? (-1, 0) : (b * block - 1).quotientAndRemainder(dividingBy: qq)
            for t in 0...w {
                (rowOf[t], columnOf[t]) = (oy, ox)
                ox += 1
                if oy < 0 || ox == qq { (oy, ox) = (oy + 1, 0) }
            }
            cellsOf = b
            return blockCells
        }
        // The records of a run of lanes (`runs`) in fold f: lane `last − t` sits t·B keys after lane `last`, so
        // on each piece [lo, hi) its block positions in range are [max(lo, L − t·B), min(hi − 1, V − t·B)]; the
        // piece being no wider than B, all lanes but at most two take the whole piece.
        func runCount(_ run: (first: Int, last: Int), _ f: Int, _ s: Int, _ d: Int, _ top: Int, _ w: Int,
                      _ later: Bool, _ last: Bool, _ meets: [(a: Int, b: Int)]) -> Int {
            let j = run.last, lanesMinusOne = run.last - run.first
            let base = f * span + laneBase(s, j)
            guard top >= base, d < base + lanesMinusOne * block + (w - 1) else { return 0 }
            @inline(__always) func ceilDiv(_ a: Int, _ b: Int) -> Int { -floorDiv(-a, b) }
            let (vy, vx) = valid[j]
            var total = 0
            for (a, x) in meets where ys[a + 1] <= vy && xs[x + 1] <= vx {
                let (y0, y1, x0, x1) = (ys[a], ys[a + 1], xs[x], xs[x + 1])
                let slot = slot(j, a, x, last, later)
                if slotStart[slot] < 0 { build(slot, j, a, x, last: last, later: later) }
                work.spend(3 * (Int(slotEnd[slot] - slotStart[slot]) + 1))
                for at in Int(slotStart[slot])..<Int(slotEnd[slot]) {
                    let piece = flat[at]
                    let upper = piece.offset.map { min(top, d - $0) } ?? top
                    guard upper > d else { continue }
                    let (lo, hi, low, high) = (piece.lo, piece.hi, d - base + 1, upper - base)
                    let tLo = max(0, ceilDiv(low - hi + 1, block))
                    let tHi = min(lanesMinusOne, floorDiv(high - lo, block))
                    guard tLo <= tHi else { continue }
                    let fullLo = max(tLo, ceilDiv(low - lo, block)), fullHi = min(tHi, floorDiv(high - hi + 1, block))
                    @inline(__always) func partial(_ t: Int) -> Int {
                        let (from, to) = (max(lo, low - t * block), min(hi - 1, high - t * block))
                        return to >= from ? through(y0, y1, x0, x1, to) - through(y0, y1, x0, x1, from - 1) : 0
                    }
                    if fullLo <= fullHi {
                        let whole = through(y0, y1, x0, x1, hi - 1) - through(y0, y1, x0, x1, lo - 1)
                        total += (fullHi - fullLo + 1) * whole
                        for t in tLo..<fullLo { total += partial(t) }
                        if fullHi < tHi { for t in (fullHi + 1)...tHi { total += partial(t) } }
                    } else {
                        for t in tLo...tHi { total += partial(t) }
                    }
                }
            }
            return total
        }
        // Records with keys in (d, top] in fold f (global keys: f·span + the fold's own).
        func count(_ f: Int, after d: Int, through top: Int) -> Int {
            let (pb, s) = f.quotientAndRemainder(dividingBy: subFolds)
            let (pass, b) = pb.quotientAndRemainder(dividingBy: blocks)
            let last = b == blocks - 1, w = last ? lastWidth : block
            let meets = cells(b, w)
            work.spend(3 * (block + (runStart[s + 1] - runStart[s]) * (1 + meets.count)))
            var total = 0
            for run in runs[runStart[s]..<runStart[s + 1]] {
                if run.last > run.first {
                    total += runCount(run, f, s, d, top, w, pass > 0, last, meets)
                    continue
                }
                let j = run.first
                let base = f * span + laneBase(s, j)
                guard top >= base, d < base + (w - 1) * step else { continue }
                let (vy, vx) = valid[j]
                // (is: one key a pixel, no division.)
                let first = (step == 1 ? d - base : floorDiv(d - base, step)) + 1
                let end = step == 1 ? top - base : floorDiv(top - base, step)
                for (a, x) in meets where ys[a + 1] <= vy && xs[x + 1] <= vx {
                    let (y0, y1, x0, x1) = (ys[a], ys[a + 1], xs[x], xs[x + 1])
                    let slot = slot(j, a, x, last, pass > 0)
                    if slotStart[slot] < 0 { build(slot, j, a, x, last: last, later: pass > 0) }
                    work.spend(3 * (Int(slotEnd[slot] - slotStart[slot]) + 1))
                    for at in Int(slotStart[slot])..<Int(slotEnd[slot]) {
                        let piece = flat[at]
                        let lo = max(piece.lo, first)
                        var hi = min(piece.hi - 1, end)
                        if let o = piece.offset {
                            hi = min(hi, step == 1 ? d - o - base : floorDiv(d - o - base, step))
                        }
                        guard hi >= lo else { continue }
                        total += through(y0, y1, x0, x1, hi) - through(y0, y1, x0, x1, lo - 1)
                    }
                }
            }
            return total
        }
        let folds = passes * blocks * subFolds
        return ScaleSimIfmapClasses.dropRuleRecords(folds: folds, span: span, segment: segment, work: work,
                                                    count: count)
    }

    /// The rows (or columns) of the output grid at which some class box or validity edge falls: the kernel's
    /// reach from both ends and where each window row (column) leaves the input.
    static func cuts(_ extent: Int, _ kernel: Int, _ input: Int, _ st: Int) -> [Int] {
        var edges: Set<Int> = [0, extent]
        let reach = (kernel - 1) / st
        for d in 0...reach { edges.insert(min(extent, d)); edges.insert(max(0, extent - d)) }
        for o in 0..<kernel { edges.insert(min(extent, max(0, ScaleSimModel.ceilDiv(input - o, st)))) }
        return edges.sorted()
    }
}
