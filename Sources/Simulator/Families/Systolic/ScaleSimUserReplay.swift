import Hardware

/// USER mode's ifmap read buffer for a convolution, replayed request by
/// request: an im2col ifmap holds one input word at several positions of
/// its prefetch matrix, so a demanded word is a hit when *any* line that
/// holds it is in the active window (`read_buffer.active_buffer_hit`), and
/// the per-position walk of `ScaleSimUserMode.visits` misplaces it.
///
/// The buffer (`prepare_hashed_buffer`): the prefetch matrix, in its own
/// order, cut into lines of ⌈words/100⌉ valid entries; the window is the
/// first ⌈active/line⌉ lines and each miss moves it forward by the
/// prefetch lines, wrapping (`new_prefetch`), until the word is in it.
/// One step per request (SCALE-Sim's SRAM ifmap reads), plus the lines of
/// the requested word on a miss. Skipped (nil) above `requestLimit`.
///
/// Production walks the same buffer from miss to miss (`ScaleSimUserClasses`); this replay is its test
/// oracle (`ScaleSimUserClassesTests`: the same advances and events).
enum ScaleSimUserReplay {
    static let requestLimit = 8_000_000

    /// Prefetches the ifmap buffer makes and the demand rows that wait for them (row, prefetches).
    struct Result { var advances: Int; var events: [(row: Int, misses: Int)] }

    static func ifmap(_ l: ScaleSimLayer, conv c: ScaleSimLayer.Convolution, rows r: Int, columns cols: Int,
                      dataflow df: SystolicModel.Dataflow, bufferWords: Int) -> Result? {
        let (m, n, k) = (l.m, l.n, l.k)
        guard ScaleSimModel.sramCounts(l, rows: r, columns: cols, dataflow: df).ifmap <= requestLimit,
              m == c.p * c.q, k == c.r * c.s * c.c else { return nil }
        let cd = ScaleSimModel.ceilDiv
        // The im2col address of (ofmap pixel i, window index j), −1 outside the input.
        var base = [Int](repeating: 0, count: m), room = [(Int, Int)](repeating: (0, 0), count: m)
        for i in 0..<m {
            let (oy, ox) = i.quotientAndRemainder(dividingBy: c.q)
            base[i] = (oy * c.stride * c.w + ox * c.stride) * c.c
            room[i] = (c.h - oy * c.stride, c.w - ox * c.stride)
        }
        var offset = [Int](repeating: 0, count: k), win = [(Int, Int)](repeating: (0, 0), count: k)
        for j in 0..<k {
            let (cr, rest) = j.quotientAndRemainder(dividingBy: c.s * c.c)
            let (cc, ch) = rest.quotientAndRemainder(dividingBy: c.c)
            offset[j] = (cr * c.w + cc) * c.c + ch
            win[j] = (cr, cc)
        }
        @inline(__always) func address(_ i: Int, _ j: Int) -> Int {
            win[j].0 < room[i].0 && win[j].1 < room[i].1 ? base[i] + offset[j] : -1
        }
        // 1. The prefetch matrix's valid entries in order (`create_ifmap_prefetch_mat`): os and ws stack
        // their blocks and read the stack along anti-diagonals, rows descending; is stacks pixel blocks
        // (window index × pixel) and reads them row by row.
        var order: [Int] = []
        order.reserveCapacity(m * k)
        func diagonal(rows: Int, width: Int, _ at: (Int, Int) -> Int) {
            for d in 0..<(rows + width - 1) {
                let hi = min(d, rows - 1), lo = max(0, d - width + 1)
                if lo > hi { continue }
                for row in stride(from: hi, through: lo, by: -1) {
                    let a = at(row, d - row)
                    if a >= 0 { order.append(a) }
                }
            }
        }
        switch df {
        case .os:   // block b: K rows (window index) × r columns (pixels b·r …)
            diagonal(rows: cd(m, r) * k, width: r) { row, col in
                let (b, j) = row.quotientAndRemainder(dividingBy: k), i = b * r + col
                return i < m ? address(i, j) : -1
            }
        case .ws:   // block b: M rows (pixels) × r columns (window index b·r …)
            diagonal(rows: cd(k, r) * m, width: r) { row, col in
                let (b, i) = row.quotientAndRemainder(dividingBy: m), j = b * r + col
                return j < k ? address(i, j) : -1
            }
        case .is:
            for b in 0..<cd(m, cols) {
                for j in 0..<k {
                    for i in (b * cols)..<min(m, b * cols + cols) {
                        let a = address(i, j)
                        if a >= 0 { order.append(a) }
                    }
                }
            }
        }
        // 2. Lines and, per word, the lines that hold it (ascending).
        let perSet = max(1, cd(bufferWords, 100))
        let lineCount = order.count / perSet + 1
        let activeWords = (bufferWords + 1) / 2, prefetchWords = bufferWords - activeWords
        let active = min(lineCount, cd(activeWords, perSet))
        let step = min(lineCount - active, cd(prefetchWords, perSet))
        guard step > 0 else { return Result(advances: 0, events: []) }
        let words = c.h * c.w * c.c
        var start = [Int32](repeating: 0, count: words + 1)
        var last = [Int32](repeating: -1, count: words)
        for (p, a) in order.enumerated() where last[a] != Int32(p / perSet) {
            last[a] = Int32(p / perSet)
            start[a + 1] += 1
        }
        for a in 0..<words { start[a + 1] += start[a] }
        var fill = start, lines = [Int32](repeating: 0, count: Int(start[words]))
        last = [Int32](repeating: -1, count: words)
        for (p, a) in order.enumerated() where last[a] != Int32(p / perSet) {
            last[a] = Int32(p / perSet)
            lines[Int(fill[a])] = Int32(p / perSet)
            fill[a] += 1
        }
        order = []
        // 3. The demand stream, with each request's demand row.
        var window = 0, advances = 0
        var events: [(row: Int, misses: Int)] = []
        @inline(__always) func held(_ a: Int, after steps: Int) -> Bool {
            let s = (window + steps * step) % lineCount
            for x in Int(start[a])..<Int(start[a + 1]) {
                let d = (Int(lines[x]) - s + lineCount) % lineCount
                if d < active { return true }
            }
            return false
        }
        @inline(__always) func request(_ i: Int, _ j: Int, row: Int) {
            let a = address(i, j)
            guard a >= 0, !held(a, after: 0) else { return }
            var steps = 1
            while !held(a, after: steps) && steps <= lineCount { steps += 1 }
            window = (window + steps * step) % lineCount
            advances += steps
            if let e = events.last, e.row == row { events[events.count - 1].misses += steps }
            else { events.append((row, steps)) }
        }
        let perFold = df == .os ? k + r + cols - 2 : (df == .ws ? m : n) + 2 * r + cols - 2
        var fold = 0
        switch df {
        case .os:
            for _ in 0..<cd(n, cols) {
                for fr in 0..<cd(m, r) {
                    let pixels = min(r, m - fr * r)
                    for d in 0..<(k + pixels - 1) {
                        for x in max(0, d - k + 1)...min(d, pixels - 1) {
                            request(fr * r + x, d - x, row: fold * perFold + d)
                        }
                    }
                    fold += 1
                }
            }
        case .ws:
            for _ in 0..<cd(n, cols) {
                for fr in 0..<cd(k, r) {
                    let used = min(r, k - fr * r)
                    for d in 0..<(m + used - 1) {
                        for x in max(0, d - m + 1)...min(d, used - 1) {
                            request(d - x, fr * r + x, row: fold * perFold + r + d)
                        }
                    }
                    fold += 1
                }
            }
        case .is:
            for fc in 0..<cd(m, cols) {
                let pixels = (fc * cols)..<min(m, fc * cols + cols)
                for fr in 0..<cd(k, r) {
                    for j in stride(from: min(k, fr * r + r) - 1, through: fr * r, by: -1) {
                        for i in pixels { request(i, j, row: fold * perFold + r - 1 - (j - fr * r)) }
                    }
                    fold += 1
                }
            }
        }
        return Result(advances: advances, events: events)
    }
}
