import Foundation
import Hardware

/// CALC mode's ifmap DRAM reads for a convolution whose im2col operand
/// repeats input pixels and overflows the read buffer: the request stream
/// replayed through `read_buffer_estimate_bw`'s rule.
///
/// The rule (`manage_prefetches`, `check_hit`): a requested word not held
/// since the last drop is recorded (one DRAM read); when 50 sets of
/// ⌊words/100⌋ have been recorded the buffer drops them all. So a word is
/// read again at its first request after each drop, and *where* a drop
/// falls decides which of the overlapping windows' shared pixels are hits.
/// A per-fold count cannot see that; this walks the requests in the
/// demand matrices' order (folds `for fc: for fr:`; within a fold, demand
/// row by row, array row or column ascending) with O(1) work per request
/// and one epoch stamp per ifmap word.
///
/// Cost: one step per im2col request the fold visits, i.e. SCALE-Sim's
/// SRAM ifmap reads; above `requestLimit` requests it declines (nil).
///
/// `dramReads`, the production count, is used only when the distinct ifmap
/// words reach the drop size (below it nothing is ever dropped and the count
/// is the distinct words) and the layer has repeated or out-of-range window
/// positions (otherwise `EstimateBuffer.insertions` is exact per fold). It
/// does not walk: ws is counted per window-offset class and drop, lanes with
/// the same cells as one run (`ScaleSimIfmapClasses`, any channel count);
/// is with whole R-channel slices fold by fold in O(columns)
/// (`ScaleSimIfmapFolds`); os, and is whose channels share a factor
/// g > 1 with R, one step per pixel's run of C or g channels
/// (`ScaleSimIfmapRuns`); the rest (is with gcd(R, C) = 1, os with C = 1) per
/// class (`ScaleSimIfmapBlocks`). None has a request limit; each spends a
/// step allowance (`ScaleSimWork`, `workLimit`: about a second) and declines
/// (nil) once it is gone, or at once where `expectedWork` is far past it, so
/// that no layer stalls a run; the caller then keeps the per-fold estimate
/// and the result says so (`ScaleSimReport.ifmapReadsEstimated`, a note).
/// Each is tested equal to `replay`, its oracle, on seeded shapes, SCALE-Sim's
/// fixtures, ResNet-50 and layers above the replay's request limit.
enum ScaleSimIfmapReplay {
    /// Requests beyond which the replay declines (about 10 ms on one core).
    static let requestLimit = 8_000_000
    /// Steps (`ScaleSimWork`) beyond which `dramReads` declines: about a second of one core (release), at the
    /// 3–9 ns a step measured on SCALE-Sim's conv topologies (whole process, release). Measured on those
    /// topologies on a 32×32 array with 64 KiB buffers (scale.cfg and its os and is variants), every layer of
    /// ResNet-18/50, AlexNet, GoogLeNet, Faster R-CNN, MobileNet and YOLO-tiny is counted exactly in all three
    /// dataflows, and YOLO's too but its 1,947-pixel, C = 3072 Conv21 under os; layers of 2048² and 4K images
    /// (UNet, the 4K ResNet-50) decline: 13 (ws) and 15 (os) of UNet's 19, 1 and 10 of the 4K ResNet-50's 54,
    /// none of either under is.
    static let workLimit = 200_000_000

    struct Key: Hashable {
        var layer: ScaleSimLayer, rows: Int, columns: Int, dataflow: SystolicModel.Dataflow, bufferWords: Int
        var steps: Int
    }

    /// Replays already made in this process: a network repeats its layers (ResNet-50's 16 3×3
    /// convolutions have 8 shapes), and `best` asks for each dataflow once per op. Bounded; deterministic
    /// (a hit returns what the replay would).
    final class Memo: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Key: Int?] = [:]
        func value(_ key: Key, _ make: () -> Int?) -> Int? {
            lock.lock()
            if let hit = results[key] { lock.unlock(); return hit }
            lock.unlock()
            let value = make()
            lock.lock()
            if results.count >= 1024 { results.removeAll() }
            results[key] = value
            lock.unlock()
            return value
        }
    }
    static let memo = Memo()

    /// The production count, or nil where it would take more than `steps` (`ScaleSimWork`).
    static func dramReads(_ l: ScaleSimLayer, conv c: ScaleSimLayer.Convolution, rows r: Int, columns cols: Int,
                          dataflow df: SystolicModel.Dataflow, bufferWords: Int, steps: Int = workLimit) -> Int? {
        memo.value(Key(layer: l, rows: r, columns: cols, dataflow: df, bufferWords: bufferWords, steps: steps)) {
            // Far beyond the allowance by the fold structure alone: decline without spending it.
            guard expectedWork(l, conv: c, rows: r, columns: cols, dataflow: df, bufferWords: bufferWords)
                    <= 8 * Double(steps) else { return nil }
            let work = ScaleSimWork(steps: steps)
            let reads = exact(l, conv: c, rows: r, columns: cols, dataflow: df, bufferWords: bufferWords, work: work)
            return work.exhausted ? nil : reads
        }
    }

    /// The fastest exact form for a layer: ws by class (`ScaleSimIfmapClasses`); is with whole R-channel
    /// slices fold by fold (`ScaleSimIfmapFolds`); os with C > 1 and is with gcd(R, C) > 1 run by run
    /// (`ScaleSimIfmapRuns`); the rest (is with gcd(R, C) = 1, os with C = 1) by class (`ScaleSimIfmapBlocks`).
    enum Path { case wsClasses, isFolds, runs, isBlocks, osBlocks }

    static func path(channels: Int, rows r: Int, dataflow df: SystolicModel.Dataflow) -> Path {
        switch df {
        case .ws: .wsClasses
        case .is: channels % r == 0 ? .isFolds : ScaleSimModel.gcd(r, channels) > 1 ? .runs : .isBlocks
        case .os: channels > 1 ? .runs : .osBlocks
        }
    }

    /// The exact count by the layer's `path`, or nil once `work` is spent (or for a layer that is not a plain
    /// convolution).
    static func exact(_ l: ScaleSimLayer, conv c: ScaleSimLayer.Convolution, rows r: Int, columns cols: Int,
                      dataflow df: SystolicModel.Dataflow, bufferWords: Int, work: ScaleSimWork) -> Int? {
        switch path(channels: c.c, rows: r, dataflow: df) {
        case .wsClasses:
            ScaleSimIfmapClasses.wsDramReads(l, conv: c, rows: r, columns: cols, bufferWords: bufferWords, work: work)
        case .isFolds:
            ScaleSimIfmapFolds.isDramReads(l, conv: c, rows: r, columns: cols, bufferWords: bufferWords, work: work)
        case .runs:
            ScaleSimIfmapRuns.dramReads(l, conv: c, rows: r, columns: cols, dataflow: df, bufferWords: bufferWords,
                                        work: work)
        case .isBlocks:
            ScaleSimIfmapClasses.isDramReads(l, conv: c, rows: r, columns: cols, bufferWords: bufferWords, work: work)
        case .osBlocks:
            ScaleSimIfmapClasses.osDramReads(l, conv: c, rows: r, columns: cols, bufferWords: bufferWords, work: work)
        }
    }

    static func replay(_ l: ScaleSimLayer, conv c: ScaleSimLayer.Convolution, rows r: Int, columns cols: Int,
                       dataflow df: SystolicModel.Dataflow, bufferWords: Int, limit: Int = requestLimit) -> Int? {
        let segment = ScaleSimModel.dropSegment(bufferWords: bufferWords)
        let (m, n, k) = (l.m, l.n, l.k)
        let requests = ScaleSimModel.sramCounts(l, rows: r, columns: cols, dataflow: df).ifmap
        guard requests <= limit, m == c.p * c.q, k == c.r * c.s * c.c else { return nil }
        // im2col: address of (ofmap pixel i, window index j) = base[i] + offset[j], valid when the
        // window position lies inside the input (`operand_matrix.calc_ifmap_elem_addr`).
        var base = [Int](repeating: 0, count: m), rowRoom = [Int](repeating: 0, count: m)
        var colRoom = [Int](repeating: 0, count: m)
        for i in 0..<m {
            let (oy, ox) = i.quotientAndRemainder(dividingBy: c.q)
            let (y, x) = (oy * c.stride, ox * c.stride)
            base[i] = (y * c.w + x) * c.c
            (rowRoom[i], colRoom[i]) = (c.h - y, c.w - x)
        }
        var offset = [Int](repeating: 0, count: k), winRow = [Int](repeating: 0, count: k)
        var winCol = [Int](repeating: 0, count: k)
        for j in 0..<k {
            let (cr, rest) = j.quotientAndRemainder(dividingBy: c.s * c.c)
            let (cc, ch) = rest.quotientAndRemainder(dividingBy: c.c)
            offset[j] = (cr * c.w + cc) * c.c + ch
            (winRow[j], winCol[j]) = (cr, cc)
        }
        var stamp = [Int32](repeating: -1, count: c.h * c.w * c.c)
        var recorded = 0
        base.withUnsafeBufferPointer { base in
        rowRoom.withUnsafeBufferPointer { rowRoom in
        colRoom.withUnsafeBufferPointer { colRoom in
        offset.withUnsafeBufferPointer { offset in
        winRow.withUnsafeBufferPointer { winRow in
        winCol.withUnsafeBufferPointer { winCol in
        stamp.withUnsafeMutableBufferPointer { stamp in
            var epoch: Int32 = 0, held = 0, count = 0
            @inline(__always) func request(_ i: Int, _ j: Int) {
                guard winRow[j] < rowRoom[i], winCol[j] < colRoom[i] else { return }
                let a = base[i] + offset[j]
                if stamp[a] == epoch { return }
                stamp[a] = epoch
                count += 1
                held += 1
                if held == segment { held = 0; epoch += 1 }
            }
            let cd = ScaleSimModel.ceilDiv
            // One fold's stream: a block skewed so that demand row d holds (x, d − x) for x ascending
            // (os: x = ofmap pixel, y = window index; ws: x = window index, y = ofmap pixel).
            switch df {
            case .os:
                for _ in 0..<cd(n, cols) {
                    for fr in 0..<cd(m, r) {
                        let x0 = fr * r, width = min(m, x0 + r) - x0
                        for d in 0..<(k + width - 1) {
                            for x in max(0, d - k + 1)...min(d, width - 1) { request(x0 + x, d - x) }
                        }
                    }
                }
            case .ws:
                for _ in 0..<cd(n, cols) {
                    for fr in 0..<cd(k, r) {
                        let x0 = fr * r, width = min(k, x0 + r) - x0
                        for d in 0..<(m + width - 1) {
                            for x in max(0, d - m + 1)...min(d, width - 1) { request(d - x, x0 + x) }
                        }
                    }
                }
            case .is:
                // The stationary block (window rows × ofmap pixels) is loaded last window row first
                // (`np.flip`), each row's pixels ascending.
                for fc in 0..<cd(m, cols) {
                    let pixels = (fc * cols)..<min(m, fc * cols + cols)
                    for fr in 0..<cd(k, r) {
                        for j in stride(from: min(k, fr * r + r) - 1, through: fr * r, by: -1) {
                            for i in pixels { request(i, j) }
                        }
                    }
                }
            }
            recorded = count
        }}}}}}}
        return recorded
    }
}
