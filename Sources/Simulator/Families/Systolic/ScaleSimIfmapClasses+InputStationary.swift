import Hardware

extension ScaleSimIfmapClasses {
    /// The input-stationary count for any channel count (gcd(R, C) = 1 included: ResNet-50's conv1), from
    /// the window-offset classes (`ScaleSimIfmapBlocks`): the same count as `ScaleSimIfmapReplay.replay`.
    ///
    /// An is fold (`for fc` over blocks of `columns` ofmap pixels, `for fr` over K blocks of R window
    /// indices; each once, whatever N) requests window index j from the fold's top jTop down, each over the
    /// block's pixels ascending (`np.flip`): request (fc, fr, j, block position p) has key
    /// (fc·K_folds + fr)·R·columns + (jTop − j)·columns + p (a narrower last block leaves gaps between its
    /// lanes, which order nothing). Member j' at pixel i + δ of block fc + Δb sits
    /// Δb·K_folds·R·columns + (fr' − fr)·R·columns + (jTop' − j' − jTop + j)·columns + δ − Δb·columns
    /// keys from it, whatever the block's width.
    static func isDramReads(_ l: ScaleSimLayer, conv c: ScaleSimLayer.Convolution, rows r: Int, columns cols: Int,
                            bufferWords: Int, work: ScaleSimWork = .unlimited) -> Int? {
        let (m, k) = (l.m, l.k)
        guard m == c.p * c.q, k == c.r * c.s * c.c, m > 0, k > 0, r > 0, cols > 0 else { return nil }
        let cd = ScaleSimModel.ceilDiv
        let kFolds = cd(k, r), blocks = cd(m, cols), span = r * cols
        @inline(__always) func jTop(_ fr: Int) -> Int { min(k, fr * r + r) - 1 }
        let classes = ScaleSimIfmapBlocks(
            conv: c, block: cols, blocks: blocks, lastWidth: m - (blocks - 1) * cols, subFolds: kFolds, passes: 1,
            span: span, step: 1,
            lanes: { fr in (fr * r)...jTop(fr) },
            laneBase: { fr, j in (jTop(fr) - j) * cols },
            offset: { j, e, p in
                let (fr, fr2) = (j / r, e.j / r)
                let db = ScaleSimModel.floorDiv(p + e.delta, cols)
                return db * kFolds * span + (fr2 - fr) * span + (jTop(fr2) - e.j - jTop(fr) + j) * cols
                    + e.delta - db * cols
            },
            includesSelf: false)
        return classes.dramReads(k: k, segment: ScaleSimModel.dropSegment(bufferWords: bufferWords), work: work)
    }

    /// The output-stationary count for any channel count, from the window-offset classes
    /// (`ScaleSimIfmapBlocks`, lane by lane): the same count as `ScaleSimIfmapReplay.replay`. Production
    /// takes it for C = 1 only (`ScaleSimIfmapRuns` counts C > 1 faster).
    ///
    /// An os fold (`for pass` over N blocks of `columns`, `for fr` over blocks of R ofmap pixels) requests
    /// window index j of its pixel x at demand row x + j, lanes ascending: key (pass·blocks + fr)·(R + K)·R +
    /// (x + j)·R + x, so lane j's pixels step R + 1 keys. Member j' at pixel i + δ of block fr + Δb sits
    /// Δb·(R + K)·R + (x' + j')·R + x' − (x + j)·R − x keys from it (x' = x + δ − Δb·R); from the second
    /// pass on, the previous pass's requests of the class and of j itself are candidates too.
    static func osDramReads(_ l: ScaleSimLayer, conv c: ScaleSimLayer.Convolution, rows r: Int, columns cols: Int,
                            bufferWords: Int, work: ScaleSimWork = .unlimited) -> Int? {
        let (m, n, k) = (l.m, l.n, l.k)
        guard m == c.p * c.q, k == c.r * c.s * c.c, m > 0, k > 0, n > 0, r > 0, cols > 0 else { return nil }
        let cd = ScaleSimModel.ceilDiv
        let blocks = cd(m, r), span = (r + k) * r
        let classes = ScaleSimIfmapBlocks(
            conv: c, block: r, blocks: blocks, lastWidth: m - (blocks - 1) * r, subFolds: 1,
            passes: cd(n, cols), span: span, step: r + 1,
            lanes: { _ in 0...(k - 1) },
            laneBase: { _, j in j * r },
            offset: { j, e, x in
                let db = ScaleSimModel.floorDiv(x + e.delta, r)
                let x2 = x + e.delta - db * r
                return db * span + (x2 + e.j) * r + x2 - (x + j) * r - x
            },
            includesSelf: true)
        return classes.dramReads(k: k, segment: ScaleSimModel.dropSegment(bufferWords: bufferWords), work: work)
    }
}
