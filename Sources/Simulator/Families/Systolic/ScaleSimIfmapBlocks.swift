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
/// Cost: O(class · log class) per (j, cell, kind) built, then O(lanes × (cells the block meets) × pieces) per
/// fold scanned and per probe of the binary search that places each drop: never a step per request. With
/// blocks of 32 pixels and 16 class members (ResNet-50's conv1 on 32×32) that is about the replay's time
/// (release build, the whole process within 0.5 ms of it); the gain grows with the block, the replay's steps
/// per lane.
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
    /// In-fold key of lane j's block position 0 in sub-fold s of a block of width w.
    let laneBase: (_ s: Int, _ j: Int, _ w: Int) -> Int
    /// Key of member e's request minus that of lane j's request at block position x (width w), same pass.
    let offset: (_ j: Int, _ e: Member, _ x: Int, _ w: Int) -> Int
    /// Whether the class holds j itself (its request one pass earlier: os).
    let includesSelf: Bool

    /// The count of records (`read_buffer_estimate_bw`'s DRAM reads) with drops every `segment` records.
    func dramReads(k: Int, segment: Int) -> Int {
        let c = conv
        let cd = ScaleSimModel.ceilDiv
        let (pp, qq, st) = (c.p, c.q, max(1, c.stride))
        let ys = Self.cuts(pp, c.r, c.h, st), xs = Self.cuts(qq, c.s, c.w, st)
        let (bandsY, bandsX) = (ys.count - 1, xs.count - 1)
        let passKeys = blocks * subFolds * span
        @inline(__always) func floorDiv(_ a: Int, _ b: Int) -> Int { ScaleSimIfmapRuns.DropRule.floorDiv(a, b) }
        // Each window index's class and its valid pixels (window position inside the input: oy < vy, ox < vx).
        var members: [[Member]] = [], valid: [(y: Int, x: Int)] = []
        for j in 0..<k {
            let (cr, rest) = j.quotientAndRemainder(dividingBy: c.s * c.c)
            let (cc, ch) = rest.quotientAndRemainder(dividingBy: c.c)
            var list: [Member] = []
            for rr in stride(from: cr % st, to: c.r, by: st) {
                for ss in stride(from: cc % st, to: c.s, by: st) {
                    let j2 = (rr * c.s + ss) * c.c + ch
                    guard j2 != j || includesSelf else { continue }
                    let (dy, dx) = ((cr - rr) / st, (cc - ss) / st)
                    list.append(Member(j: j2, delta: dy * qq + dx, y0: max(0, -dy), y1: min(pp, pp - dy),
                                       x0: max(0, -dx), x1: min(qq, qq - dx)))
                }
            }
            members.append(list)
            valid.append((min(pp, max(0, cd(c.h - cr, st))), min(qq, max(0, cd(c.w - cc, st)))))
        }
        // Pieces of lane j in cell (a, b), slots for (last block?, later pass?): flat[start..<end] (start −1: not
        // built yet). One flat store, so that a fold's scan copies and retains no array.
        var flat: [Piece] = []
        let slots = k * bandsY * bandsX * 4
        var slotStart = [Int32](repeating: -1, count: slots), slotEnd = [Int32](repeating: 0, count: slots)
        // Each member's key offsets, at block positions before and from its cut x ≡ −δ (mod B) (Δb and Δb + 1),
        // per lane and block width: what a cell's pieces are made of.
        struct Shift { var cut: Int, before: Int, from: Int }
        var shifts: [[Shift]] = [[], []]
        for last in 0..<2 {
            let w = last == 1 ? lastWidth : block
            for j in 0..<k {
                for e in members[j] {
                    let cut = ((-e.delta) % block + block) % block
                    let inside = cut > 0 && cut < w
                    shifts[last].append(Shift(cut: inside ? cut : w, before: offset(j, e, 0, w),
                                              from: inside ? offset(j, e, cut, w) : 0))
                }
            }
        }
        var firstMember = [0]
        for j in 0..<k { firstMember.append(firstMember[j] + members[j].count) }
        // Scratch of `build`: the live members' (cut, before, from), by cut; running maxima.
        var live: [Shift] = [], suffix: [Int] = []
        func build(_ slot: Int, _ j: Int, _ a: Int, _ b: Int, last: Bool, later: Bool) {
            let (y0, y1, x0, x1) = (ys[a], ys[a + 1], xs[b], xs[b + 1])
            let w = last ? lastWidth : block
            // The previous request's offset, nil-free: Int.min where the request is none (after t, first pass).
            @inline(__always) func back(_ o: Int) -> Int { o < 0 ? o : later ? o - passKeys : Int.min }
            live.removeAll(keepingCapacity: true)
            let base = firstMember[j]
            for (n, e) in members[j].enumerated() where e.y0 <= y0 && y1 <= e.y1 && e.x0 <= x0 && x1 <= e.x1 {
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
        // Records with keys in (d, top] in fold f (global keys: f·span + the fold's own).
        func count(_ f: Int, after d: Int, through top: Int) -> Int {
            let (pb, s) = f.quotientAndRemainder(dividingBy: subFolds)
            let (pass, b) = pb.quotientAndRemainder(dividingBy: blocks)
            let last = b == blocks - 1, w = last ? lastWidth : block
            let meets = cells(b, w)
            var total = 0
            for j in lanes(s) {
                let base = f * span + laneBase(s, j, w)
                guard top >= base, d < base + (w - 1) * step else { continue }
                let (vy, vx) = valid[j]
                // (is: one key a pixel, no division.)
                let first = (step == 1 ? d - base : floorDiv(d - base, step)) + 1
                let end = step == 1 ? top - base : floorDiv(top - base, step)
                for (a, x) in meets where ys[a + 1] <= vy && xs[x + 1] <= vx {
                    let (y0, y1, x0, x1) = (ys[a], ys[a + 1], xs[x], xs[x + 1])
                    let slot = ((j * bandsY + a) * bandsX + x) * 4 + (last ? 1 : 0) + (pass > 0 ? 2 : 0)
                    if slotStart[slot] < 0 { build(slot, j, a, x, last: last, later: pass > 0) }
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
        return ScaleSimIfmapClasses.dropRuleRecords(folds: folds, span: span, segment: segment, count: count)
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
