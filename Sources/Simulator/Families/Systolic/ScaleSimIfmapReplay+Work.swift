/// A deterministic allowance of steps for one exact ifmap count: CALC's (`ScaleSimIfmapReplay.dramReads`),
/// whose paths spend what their loops do (a cell evaluated, a run grouped, a probe over a drop's ranges), and
/// USER's walk from miss to miss (`ScaleSimUserClasses`: a lane, a cell, a held interval, a miss's window).
/// Each declines once the allowance is gone, so that no layer's count, however large, runs much past it (CALC
/// about a second, USER 1-4 s; setup that is not charged, and `best`'s three dataflows, add to that); the
/// caller then keeps its estimate (CALC per fold, USER per position) and says so. Counting steps rather than
/// time keeps the outcome the same on every run and machine.
final class ScaleSimWork {
    /// Steps left; negative once overspent.
    private(set) var left: Int
    /// The steps it started with.
    let allowance: Int

    init(steps: Int) { (left, allowance) = (steps, steps) }

    /// No limit: what the tests, which compare the counts with the replay, pass.
    static var unlimited: ScaleSimWork { ScaleSimWork(steps: .max) }

    /// Spends `n` steps. Returns false once the allowance is overspent.
    @inline(__always) @discardableResult
    func spend(_ n: Int) -> Bool {
        left = left &- n
        return left >= 0
    }

    var exhausted: Bool { left < 0 }

    /// For a walk of `total` similar parts, `done` of them behind it: gives up (spends the rest) once an
    /// eighth of the allowance is spent and the rate so far projects the whole past it, so that a layer far
    /// too large declines after an eighth, not all, of the allowance. Returns false once exhausted.
    /// An estimate, not a bound: a walk whose early parts cost more than its later ones may decline though
    /// it would have fitted, and the caller says it kept the estimate either way.
    @discardableResult
    func onTrack(done: Int, of total: Int) -> Bool {
        let spent = allowance &- left
        if done > 0, spent >= allowance / 8, Double(spent) * Double(total) > Double(allowance) * Double(done) {
            left = -1
        }
        return left >= 0
    }
}

extension ScaleSimIfmapReplay {
    /// The steps `exact` is expected to spend, from the fold structure alone: each fold scanned once at its
    /// path's cost, and each drop placed by a binary search (⌈log₂ keys⌉ probes at that cost), the drops
    /// taken as the distinct ifmap words read once per pass ÷ the drop size, which a buffer smaller than the
    /// ifmap cannot beat. Where this exceeds 8 × the allowance, `dramReads` declines without starting (it
    /// overestimates by up to 12× on SCALE-Sim's topologies, underestimates by up to 5×). An estimate, not a
    /// bound: a layer under it may still run out of steps and decline then, after the allowance.
    static func expectedWork(_ l: ScaleSimLayer, conv c: ScaleSimLayer.Convolution, rows r: Int, columns cols: Int,
                             dataflow df: SystolicModel.Dataflow, bufferWords: Int) -> Double {
        let (m, n, k) = (l.m, l.n, l.k)
        guard l.isPlainConvolution, r > 0, cols > 0 else { return 0 }
        let cd = ScaleSimModel.ceilDiv, st = max(1, c.stride)
        let passes = df == .is ? 1 : cd(n, cols)
        let drops = Double(passes * ScaleSimVisits.distinctPixels(c))
            / Double(ScaleSimModel.dropSegment(bufferWords: bufferWords))
        func cost(folds: Int, perFold: Int, keys: Int) -> Double {
            let probes = Double(Int.bitWidth - max(1, keys).leadingZeroBitCount)
            return (Double(folds) + drops * probes) * Double(perFold)
        }
        let classSize = ((c.r - 1) / st + 1) * ((c.s - 1) / st + 1)
        // Folds and keys a fold: is blocks of `columns` pixels × K folds; os N passes × blocks of R pixels.
        let (isFolds, isKeys) = (cd(m, cols) * cd(k, r), r * cols)
        let (osFolds, osKeys) = (passes * cd(m, r), (r + k) * r)
        switch path(channels: c.c, rows: r, dataflow: df) {
        case .wsClasses:
            let cells = (ScaleSimIfmapBlocks.cuts(c.p, c.r, c.h, st).count - 1)
                * (ScaleSimIfmapBlocks.cuts(c.q, c.s, c.w, st).count - 1)
            let groups = c.c % r == 0 ? 1 : min(r, k)
            return cost(folds: passes * cd(k, r), perFold: 8 * (1 + groups * cells), keys: (m + r) * r + r)
        case .isFolds:
            return Double(isFolds * (cols + 1))
        case .runs where df == .is:
            return cost(folds: isFolds, perFold: 2 * cols * cd(r, ScaleSimModel.gcd(r, c.c)), keys: isKeys)
        case .runs:
            return cost(folds: osFolds, perFold: 2 * min(r, m) * c.r * c.s, keys: osKeys)
        case .isBlocks:
            return cost(folds: isFolds, perFold: 3 * (cols + r * (2 + classSize)), keys: isKeys)
        case .osBlocks:
            return cost(folds: osFolds, perFold: 3 * (r + k * (2 + classSize)), keys: osKeys)
        }
    }
}
