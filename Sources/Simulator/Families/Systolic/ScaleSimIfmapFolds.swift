import Hardware

/// CALC mode's ifmap DRAM reads for an input-stationary convolution whose channels split into whole
/// R-channel slices, fold by fold: the same count as `ScaleSimIfmapReplay.replay` (the request-by-request
/// oracle beside it) in O(columns) work per fold. `ScaleSimIfmapClasses.isDramReads` counts every is
/// convolution per class instead, a fold's R lanes as one run, but it is slower at the array sizes in use
/// (for all of ResNet-50, 41–42 ms against 23–34 ms of task-clock on 32×32 and 45–48 against 21–33 on
/// 128×128: Benchmarks/README.md), so this form stays where it applies.
///
/// A *unit* is the R words of one input position × channel slice. An is fold (`for fc` over blocks of
/// `columns` ofmap pixels, `for fr` over K blocks of R window indices, each visited once) loads its
/// stationary block last window index first, each index over the block's pixels ascending (`np.flip`):
/// request t (0 ≤ t < R) of every unit comes before request t + 1 of any, and no unit occurs twice in a
/// fold (pixel ↦ position is one-to-one for a fixed window position). `read_buffer_estimate_bw`'s drop rule
/// (record a word not requested since the last drop; drop all after `segment` records) then needs, per
/// unit, only the epoch of its newest lanes and the first lane of that epoch: lanes are requested in
/// ascending order, so older lanes carry older epochs, which no later request can match. A unit with state
/// (s, e) misses its lanes `0..<a`, a = (e == epoch ? s : R); the drop row is found from a histogram of a.
enum ScaleSimIfmapFolds {
    /// The fold-by-fold count, or nil when the layer is not a convolution whose channels split into whole
    /// R-channel slices.
    static func isDramReads(_ l: ScaleSimLayer, conv c: ScaleSimLayer.Convolution, rows r: Int, columns cols: Int,
                            bufferWords: Int, work: ScaleSimWork = .unlimited) -> Int? {
        let (m, k) = (l.m, l.k)
        guard c.c % r == 0, m == c.p * c.q, k == c.r * c.s * c.c, m > 0 else { return nil }
        let segment = ScaleSimModel.dropSegment(bufferWords: bufferWords)
        let slices = c.c / r
        guard work.spend(c.h * c.w * slices) else { return nil }   // the unit states, zeroed
        var unitEpoch = [Int](repeating: -1, count: c.h * c.w * slices)
        var unitStart = [Int](repeating: 0, count: c.h * c.w * slices)
        var units = [Int](), perLane = [Int](repeating: 0, count: r + 1)
        units.reserveCapacity(cols)
        var epoch = 0, held = 0, recorded = 0
        for fc in 0..<ScaleSimModel.ceilDiv(m, cols) {
            for fold in 0..<(k / r) {
                let (cr, rest) = (fold * r).quotientAndRemainder(dividingBy: c.s * c.c)
                let (cc, ch0) = rest.quotientAndRemainder(dividingBy: c.c)
                // The block's pixels inside the input, in request order: its valid requests are lane-major.
                units.removeAll(keepingCapacity: true)
                for i in (fc * cols)..<min(m, fc * cols + cols) {
                    let (oy, ox) = i.quotientAndRemainder(dividingBy: c.q)
                    let (y, x) = (oy * c.stride + cr, ox * c.stride + cc)
                    if y < c.h && x < c.w { units.append((y * c.w + x) * slices + ch0 / r) }
                }
                let v = units.count
                if !work.spend(1 + v) { return nil }
                var misses = 0
                for u in units { misses += unitEpoch[u] == epoch ? unitStart[u] : r }
                let need = segment - held
                if misses < need {
                    held += misses
                    recorded += misses
                    for u in units { (unitEpoch[u], unitStart[u]) = (epoch, 0) }
                    continue
                }
                // Lane t misses on the units with a > t: the drop's lane, then its unit within the lane.
                if !work.spend(r + 3 * v) { return nil }
                for a in 0...r { perLane[a] = 0 }
                for u in units { perLane[unitEpoch[u] == epoch ? unitStart[u] : r] += 1 }
                var missing = v - perLane[0], before = 0, lane = 0
                while before + missing < need {
                    before += missing
                    lane += 1
                    missing -= perLane[lane]
                }
                var drop = 0
                for (p, u) in units.enumerated() where lane < (unitEpoch[u] == epoch ? unitStart[u] : r) {
                    before += 1
                    if before == need { drop = lane * v + p; break }
                }
                let after = r * v - drop - 1
                recorded += need + after
                for (p, u) in units.enumerated() {
                    let last = (r - 1) * v + p
                    guard last > drop else { (unitEpoch[u], unitStart[u]) = (epoch, 0); continue }
                    let band = (last - drop - 1) / segment
                    let bandStart = drop + 1 + band * segment
                    // The first lane t with t·v + p at or after the band's start.
                    let first = max(0, ScaleSimModel.ceilDiv(bandStart - p, v))
                    (unitEpoch[u], unitStart[u]) = (epoch + 1 + band, first)
                }
                epoch += 1 + after / segment
                held = after % segment
            }
        }
        return recorded
    }
}
