import Hardware

extension ScaleSimIfmapClasses.Cell {
    /// Pixels of the cell whose row-major index (oy·q + ox) is ≤ top (0 when top < 0).
    @inline(__always) func through(_ top: Int, q: Int) -> Int {
        guard top >= 0 else { return 0 }
        let (oy, ox) = top.quotientAndRemainder(dividingBy: q)
        let full = min(max(oy, y0), y1) - y0
        let part = oy >= y0 && oy < y1 ? min(max(ox + 1 - x0, 0), x1 - x0) : 0
        return full * (x1 - x0) + part
    }

    /// Σ_{t ≤ top} `through(t)`, which is Σ (top + 1 − p) over the cell's pixels p ≤ top: the count times
    /// top + 1 less the indices' sum, both closed forms over the whole rows and the part of row ⌊top/q⌋.
    @inline(__always) func cumulative(_ top: Int, q: Int) -> Int {
        guard top >= 0 else { return 0 }
        let (oy, ox) = top.quotientAndRemainder(dividingBy: q)
        let w = x1 - x0, rows = min(max(oy, y0), y1) - y0
        // A row's columns sum to w·(x0 + x1 − 1)/2, its rows' indices to rows·(2·y0 + rows − 1)/2 (both even).
        var count = rows * w
        var sum = rows * ((x0 + x1 - 1) * w / 2) + w * q * (rows * (2 * y0 + rows - 1) / 2)
        if oy >= y0 && oy < y1 {
            let part = min(max(ox + 1 - x0, 0), w)
            count += part
            sum += part * oy * q + part * (2 * x0 + part - 1) / 2
        }
        return (top + 1) * count - sum
    }

    /// Σ over lanes x ∈ [xa, xb] (0 ≤ xa, xb < R) of `through(⌊(b − x)/R⌋ − x)`: the last pixel of lane x
    /// at or before a key b past its fold's start (lane x's pixel i sits at key (i + x)·R + x). With
    /// b = ⌊b/R⌋·R + ρ the floor is ⌊b/R⌋ for x ≤ ρ and one less after, so the lanes' last pixels are two
    /// runs of consecutive indices, each a difference of `cumulative`: O(1) for any number of lanes.
    @inline(__always) func laneSum(_ b: Int, _ xa: Int, _ xb: Int, r: Int, q: Int) -> Int {
        // Before every lane's first key, and past lane xb's last pixel (oy, ox) = (y1 − 1, x1 − 1).
        guard b >= 0 else { return 0 }
        if b >= ((y1 - 1) * q + x1 - 1 + xb) * r + xb { return (xb - xa + 1) * (y1 - y0) * (x1 - x0) }
        let top = ScaleSimModel.floorDiv(b, r), rho = b - top * r
        var total = 0
        let end = min(xb, rho)
        if end >= xa { total += cumulative(top - xa, q: q) - cumulative(top - end - 1, q: q) }
        let start = max(xa, rho + 1)
        if xb >= start { total += cumulative(top - 1 - start, q: q) - cumulative(top - 2 - xb, q: q) }
        return total
    }
}
