import Documents

extension DataflowPlanner {
    /// The fastest design that fits, or (with `targetInferencesPerSecond`)
    /// the cheapest one that reaches that rate.
    ///
    /// - Throws: `Diagnostic` naming the resource when even the most folded
    ///   design (PE = SIMD = 1 everywhere) does not fit, or the target cannot
    ///   be reached within the budget.
    public func search(_ layers: [DataflowLayer], targetInferencesPerSecond target: Double? = nil,
                       file: String = "") throws -> DataflowDesign {
        guard !layers.isEmpty else {
            throw Diagnostic(file: file, message: "the workload has no gemm or conv2d layer to map")
        }
        let all = layers.map(candidates)
        if let target {
            let cycles = Int((clockHertz / target).rounded(.down))
            if let design = choose(all, layers, within: cycles), design.inferencesPerSecond >= target * (1 - 1e-9) {
                return design
            }
            let fastest = try search(layers, file: file).inferencesPerSecond
            throw Diagnostic(file: file, message: "no folding reaches \(target) inferences/s within the budget; "
                             + "the fastest design that fits runs at \(fastest)/s")
        }
        guard let loosest = choose(all, layers, within: .max) else {
            let most = place(layers.map { unit($0, pe: 1, simd: 1, style: styles($0).last!) })
            let over = most.total.overrun(of: budget)
                ?? (resource: "BRAM18 blocks", used: most.total.bram18, available: budget.bram18)
            throw Diagnostic(file: file, message: "even the most folded design (PE = SIMD = 1) needs \(over.used) "
                             + "\(over.resource) but the device has \(over.available); it cannot be built")
        }
        // The units' achievable cycle counts, the only initiation intervals worth trying.
        var levels = Array(Set(all.flatMap { $0.map(\.cycles) })).sorted()
        levels.removeAll { $0 < (all.map { $0.last!.cycles }.max() ?? 0) }
        // Below the DMA engines' cycles a faster unit buys nothing: every
        // interval up to them gives the DMA's rate, the loosest of them at
        // the least cost, so the search starts there.
        let dma = dmaCycles
        if let floor = levels.lastIndex(where: { $0 <= max(dma.input, dma.output) }) {
            levels.removeFirst(floor)
        }
        var lo = 0, hi = levels.count - 1
        var best = loosest
        while lo < hi {
            let mid = (lo + hi) / 2
            if let d = choose(all, layers, within: levels[mid]) { best = d; hi = mid } else { lo = mid + 1 }
        }
        if let d = choose(all, layers, within: levels[lo]) { best = d }
        // Streamed weights make the rate bandwidth-bound: a slower, narrower
        // design may keep more on chip and run faster.
        if best.isBandwidthBound {
            let start = levels.firstIndex(of: best.maxUnitII) ?? lo
            let step = max(1, (levels.count - start) / 64)
            for i in stride(from: start, to: levels.count, by: step) {
                if let d = choose(all, layers, within: levels[i]), d.inferencesPerSecond > best.inferencesPerSecond {
                    best = d
                }
            }
        }
        return best
    }

    /// Every unit's cheapest folding within `cycles`, the budgets' weights
    /// raised where the sum overruns; where a weighting still overruns a
    /// budget, units trade folds one at a time (`repair`); nil when nothing fits.
    func choose(_ all: [[Candidate]], _ layers: [DataflowLayer], within cycles: Int) -> DataflowDesign? {
        func weight(_ b: Int) -> Double { b > 0 ? 1 / Double(b) : 1e9 }
        var w = (lut: weight(budget.luts), ff: weight(budget.flipFlops), dsp: weight(budget.dsps),
                 bram: weight(budget.bram18))
        for _ in 0..<24 {
            var picks: [Candidate] = []
            picks.reserveCapacity(layers.count)
            for list in all {
                var pick: Candidate?
                var cost = Double.infinity
                // Sorted slowest first: the candidates within `cycles` are a suffix.
                for c in list.reversed() {
                    if c.cycles > cycles { break }
                    let u = c.usage
                    let x = Double(u.luts) * w.lut + Double(u.flipFlops) * w.ff + Double(u.dsps) * w.dsp
                        + Double(u.bram18) * w.bram
                    if x < cost { cost = x; pick = c }
                }
                guard let c = pick else { return nil }
                picks.append(c)
            }
            _ = repair(&picks, all, within: cycles)
            let design = place(zip(layers, picks).map { layer, c in
                DataflowDesign.Unit(layer: layer, pe: c.pe, simd: c.simd, style: c.style, store: c.store,
                                    cycles: c.cycles, usage: c.usage)
            })
            guard let over = design.total.overrun(of: budget) else { return design }
            switch over.resource {
            case "LUTs": w.lut *= 1.5
            case "FFs": w.ff *= 1.5
            case "DSP slices": w.dsp *= 1.5
            default: w.bram *= 1.5
            }
        }
        return nil
    }

    /// While the logic (LUTs, FFs, DSP slices) overruns a budget, moves the
    /// one unit whose switch to another folding within `cycles` saves the
    /// most of that resource without overrunning another: units built of the
    /// same parts at the same cost ratio (all DSP or all LUT) mix this way,
    /// which no single weighting of the budgets finds. True when it fits.
    func repair(_ picks: inout [Candidate], _ all: [[Candidate]], within cycles: Int) -> Bool {
        func logic(_ u: FPGAUsage) -> FPGAUsage { FPGAUsage(luts: u.luts, flipFlops: u.flipFlops, dsps: u.dsps) }
        let limit = logic(budget)
        var total = picks.reduce(FPGAUsage()) { $0 + logic($1.usage) }
        for _ in 0..<(4 * picks.count) {
            guard let over = total.overrun(of: limit) else { return true }
            func amount(_ u: FPGAUsage) -> Int {
                switch over.resource {
                case "LUTs": u.luts
                case "FFs": u.flipFlops
                default: u.dsps
                }
            }
            var best: (unit: Int, candidate: Candidate, saving: Int)?
            for (i, list) in all.enumerated() {
                let current = logic(picks[i].usage)
                let rest = total + FPGAUsage(luts: -current.luts, flipFlops: -current.flipFlops, dsps: -current.dsps)
                for c in list.reversed() {
                    if c.cycles > cycles { break }
                    let saving = amount(current) - amount(c.usage)
                    guard saving > 0, saving > (best?.saving ?? 0) else { continue }
                    let after = rest + logic(c.usage)
                    // Another resource may not be pushed over its budget.
                    if let other = after.overrun(of: limit), other.resource != over.resource { continue }
                    best = (i, c, saving)
                }
            }
            guard let move = best else { return false }
            let old = logic(picks[move.unit].usage)
            total = total + FPGAUsage(luts: -old.luts, flipFlops: -old.flipFlops, dsps: -old.dsps)
                + logic(move.candidate.usage)
            picks[move.unit] = move.candidate
        }
        return total.fits(limit)
    }
}
