import Hardware

/// CALC mode's ifmap DRAM reads for a weight-stationary convolution, fold by fold: the same count as
/// `ScaleSimIfmapReplay.replay` (the request-by-request oracle beside it) in O(M) work per fold instead
/// of one step per SRAM ifmap request.
///
/// It applies when every K fold is one window position (cr, cc) and one aligned slice of R channels
/// (C a multiple of the array's R rows; then K = R_f·S_f·C is one too). A fold then requests, for each
/// ofmap pixel i whose window position lies inside the input, the R words of one *unit*: input position
/// (oy·stride + cr, ox·stride + cc) × channel slice, lane x at demand row i + x; no unit occurs twice in a
/// fold (pixel ↦ position is one-to-one for a fixed (cr, cc)). `read_buffer_estimate_bw`'s drop rule
/// (record a word not requested since the last drop; drop all after `segment` records) then needs, per
/// unit, only the epoch of its newest lanes and the first lane of that epoch: lanes are requested in
/// ascending order, so older lanes carry older epochs, which no later request can match.
///
/// Per fold: a unit with state (s, e) misses its lanes `0..<a`, a = (e == epoch ? s : R). If the fold's
/// misses stay below what is left of the segment, nothing drops and every unit becomes (0, epoch). Else
/// the drop's request is found by a row sweep of the misses in demand-row order (a difference array over
/// the fold's M + R − 1 rows) and a walk of that row's lanes; every valid request after it misses (no
/// unit repeats within the fold), so the fold's remaining records and further drops are arithmetic, and
/// each unit's new state follows from its lanes' positions among the fold's valid requests.
enum ScaleSimIfmapFolds {
    /// The fold-by-fold count, or nil when the layer is not a weight-stationary convolution whose channels
    /// split into whole R-channel slices (the caller then replays request by request).
    static func wsDramReads(_ l: ScaleSimLayer, conv c: ScaleSimLayer.Convolution, rows r: Int, columns cols: Int,
                            bufferWords: Int) -> Int? {
        let (m, n, k) = (l.m, l.n, l.k)
        guard c.c % r == 0, m == c.p * c.q, k == c.r * c.s * c.c, m > 0 else { return nil }
        let segment = ScaleSimModel.dropSegment(bufferWords: bufferWords)
        let slices = c.c / r
        // Scratch without bounds checks (every index below is in range by construction).
        func buffer(_ count: Int, _ value: Int) -> UnsafeMutableBufferPointer<Int> {
            let b = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
            b.initialize(repeating: value)
            return b
        }
        let unitEpoch = buffer(c.h * c.w * slices, -1), unitStart = buffer(c.h * c.w * slices, 0)
        let unit = buffer(m, -1)                // this fold's unit of pixel i (−1: outside the input)
        let validBefore = buffer(m + 1, 0)      // valid pixels < i
        let indexSum = buffer(m + 1, 0)         // Σ valid pixel indices < i
        let missRows = buffer(m + r + 1, 0)
        // Each pixel's window origin (row, column), and its unit's index at window offset (0, 0).
        let originRow = buffer(m, 0), originColumn = buffer(m, 0)
        for i in 0..<m {
            let (oy, ox) = i.quotientAndRemainder(dividingBy: c.q)
            (originRow[i], originColumn[i]) = (oy * c.stride, ox * c.stride)
        }
        defer {
            for b in [unitEpoch, unitStart, unit, validBefore, indexSum, missRows, originRow, originColumn] {
                b.deallocate()
            }
        }
        var epoch = 0, held = 0, recorded = 0
        for _ in 0..<ScaleSimModel.ceilDiv(n, cols) {
            for fold in 0..<(k / r) {
                let j0 = fold * r
                let (cr, rest) = j0.quotientAndRemainder(dividingBy: c.s * c.c)
                let (cc, ch0) = rest.quotientAndRemainder(dividingBy: c.c)
                var misses = 0
                for i in 0..<m {
                    let (y, x) = (originRow[i] + cr, originColumn[i] + cc)
                    let inside = y < c.h && x < c.w
                    let u = inside ? (y * c.w + x) * slices + ch0 / r : -1
                    unit[i] = u
                    validBefore[i + 1] = validBefore[i] + (inside ? 1 : 0)
                    indexSum[i + 1] = indexSum[i] + (inside ? i : 0)
                    if inside { misses += unitEpoch[u] == epoch ? unitStart[u] : r }
                }
                let need = segment - held
                if misses < need {
                    held += misses
                    recorded += misses
                    for u in unit where u >= 0 { (unitEpoch[u], unitStart[u]) = (epoch, 0) }
                    continue
                }
                // The need-th miss: the first row whose cumulative misses reach it, then that row's lanes.
                missRows.update(repeating: 0)
                for i in 0..<m where unit[i] >= 0 {
                    let a = unitEpoch[unit[i]] == epoch ? unitStart[unit[i]] : r
                    missRows[i] += 1
                    missRows[i + a] -= 1
                }
                var perRow = 0, before = 0, dropRow = 0
                for d in 0..<(m + r - 1) {
                    perRow += missRows[d]
                    if before + perRow >= need { dropRow = d; break }
                    before += perRow
                }
                var dropLane = 0, count = before
                for x in max(0, dropRow - m + 1)...min(dropRow, r - 1) {
                    let u = unit[dropRow - x]
                    guard u >= 0, x < (unitEpoch[u] == epoch ? unitStart[u] : r) else { continue }
                    count += 1
                    if count == need { dropLane = x; break }
                }
                // Valid requests in rows ≤ d, and the valid index of pixel i's lane x.
                func validThrough(_ d: Int) -> Int {
                    guard d >= 0 else { return 0 }
                    let lo = min(m, max(0, d - r + 1)), hi = min(d, m - 1)
                    var v = r * validBefore[lo]
                    if hi >= lo {
                        v += (d + 1) * (validBefore[hi + 1] - validBefore[lo]) - (indexSum[hi + 1] - indexSum[lo])
                    }
                    return v
                }
                func position(_ i: Int, _ x: Int) -> Int {
                    validThrough(i + x - 1) + validBefore[min(i + x, m - 1) + 1] - validBefore[i + 1]
                }
                let drop = position(dropRow - dropLane, dropLane)
                let after = r * validBefore[m] - drop - 1
                recorded += need + after
                for i in 0..<m where unit[i] >= 0 {
                    let last = position(i, r - 1)
                    guard last > drop else { (unitEpoch[unit[i]], unitStart[unit[i]]) = (epoch, 0); continue }
                    let band = (last - drop - 1) / segment
                    let bandStart = drop + 1 + band * segment
                    // Only a unit whose lanes straddle the band's start needs the search.
                    if position(i, 0) >= bandStart {
                        (unitEpoch[unit[i]], unitStart[unit[i]]) = (epoch + 1 + band, 0)
                        continue
                    }
                    var (lo, hi) = (1, r - 1)                   // the first lane at or after the band's start
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if position(i, mid) >= bandStart { hi = mid } else { lo = mid + 1 }
                    }
                    (unitEpoch[unit[i]], unitStart[unit[i]]) = (epoch + 1 + band, lo)
                }
                epoch += 1 + after / segment
                held = after % segment
            }
        }
        return recorded
    }
}
