import Formats
import Testing
@testable import Simulator

/// The window-offset-class CALC ifmap count for ws (`ScaleSimIfmapClasses`, any channel count, gcd(R, C) = 1
/// included) against the request-by-request replay of `read_buffer_estimate_bw`'s drop rule
/// (`ScaleSimIfmapReplay.replay`), which is exact on every CALC convolution fixture (`ScaleSimCalcTests`).
@Suite("CALC ws ifmap DRAM reads by window-offset class equal the request-by-request replay")
struct ScaleSimIfmapClassesTests {
    static func both(_ layer: ScaleSimLayer, rows: Int, columns: Int, words: Int) -> (classes: Int?, replay: Int?) {
        let conv = layer.conv!
        return (ScaleSimIfmapClasses.wsDramReads(layer, conv: conv, rows: rows, columns: columns, bufferWords: words),
                ScaleSimIfmapReplay.replay(layer, conv: conv, rows: rows, columns: columns, dataflow: .ws,
                                           bufferWords: words))
    }

    /// Checks `both` (a class count beside the replay) on every CALC convolution fixture of `dataflow`:
    /// class count = replay = SCALE-Sim's `dram_ifmap_reads`. Returns the number of fixtures checked.
    static func agreeOnFixtures(_ dataflow: SystolicModel.Dataflow,
                                _ both: (ScaleSimLayer, Int, Int, Int) -> (classes: Int?, replay: Int?)) -> Int {
        var checked = 0
        for run in ScaleSimCalcTests.replayable where run.kind == "conv" && run.dataflow == dataflow {
            let (classes, replay) = both(run.scaleSimLayer, run.rows, run.columns, run.memory.ifmapWords)
            #expect(classes != nil && classes == replay, "\(run)")
            #expect(classes.map(Double.init) == run.reported["dram_ifmap_reads"], "\(run)")
            checked += 1
        }
        return checked
    }

    @Test("600 seeded random ws convolutions (any C, gcd(R, C) = 1 and > 1, strides 1–3, ragged, SCALE-Sim sizes)")
    func seededShapes() {
        var g = SplitMix64(seed: 1_313_013)
        func next(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &g) }
        var compared = 0, reread = 0, coprime = 0, passes = 0
        for _ in 0..<600 {
            let rows = [1, 2, 3, 4, 5, 8, 16][next(0...6)], columns = [1, 3, 8][next(0...2)]
            let h = next(2...20), w = next(2...20)
            let kernel = (next(1...min(h, 7)), next(1...min(w, 7)))
            // Output sizes past lpsim's (SCALE-Sim's own ceil) put window positions outside the input.
            let stride = next(1...3), grow = next(0...3) == 0 ? 1 : 0
            let conv = ScaleSimLayer.Convolution(h: h, w: w, r: kernel.0, s: kernel.1, c: next(1...10),
                                                 stride: stride, p: (h - kernel.0) / stride + 1 + grow,
                                                 q: (w - kernel.1) / stride + 1 + grow)
            let layer = ScaleSimLayer(convolution: conv, filters: next(1...20))
            let words = next(100...1200)
            let (classes, replay) = Self.both(layer, rows: rows, columns: columns, words: words)
            #expect(classes != nil && classes == replay, "\(conv) N \(layer.n) on \(rows)×\(columns), \(words) words")
            compared += 1
            if ScaleSimModel.gcd(rows, conv.c) == 1 { coprime += 1 }
            if layer.n > columns { passes += 1 }
            if let replay, replay > ScaleSimVisits.distinctPixels(conv) { reread += 1 }
        }
        // Most cases overflow the buffer and re-read words (a count the drop placement decides).
        #expect(compared == 600 && reread > 200 && coprime > 200 && passes > 200,
                "\(reread) re-read, \(coprime) coprime, \(passes) multi-pass of \(compared)")
    }

    /// `Cell.cumulative` and `Cell.laneSum` (the lane groups' closed forms) against their sums written out,
    /// on seeded cells, lane ranges and keys before, inside and past every lane's requests.
    @Test("a lane group's closed forms equal the sums over its lanes and pixels")
    func laneSums() {
        var g = SplitMix64(seed: 77)
        func next(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &g) }
        var checked = 0, partial = 0
        for _ in 0..<2000 {
            let q = next(1...12), rows = next(1...12), r = next(1...9)
            let y0 = next(0...(rows - 1)), y1 = next((y0 + 1)...rows), x0 = next(0...(q - 1)), x1 = next((x0 + 1)...q)
            let cell = ScaleSimIfmapClasses.Cell(y0: y0, y1: y1, x0: x0, x1: x1, offset: nil)
            let top = next(-3...(rows * q + 3))
            let written = (0...max(0, top)).reduce(0) { $0 + (top >= 0 ? cell.through($1, q: q) : 0) }
            #expect(cell.cumulative(top, q: q) == written, "\(cell) q \(q) top \(top)")
            let xa = next(0...(r - 1)), xb = next(xa...(r - 1)), b = next(-2 * r...((rows * q + r) * r + 2 * r))
            let lanes = (xa...xb).reduce(0) { $0 + cell.through(ScaleSimModel.floorDiv(b - $1, r) - $1, q: q) }
            #expect(cell.laneSum(b, xa, xb, r: r, q: q) == lanes, "\(cell) q \(q) lanes \(xa)...\(xb) of \(r), b \(b)")
            checked += 1
            if lanes > 0 && lanes < (xb - xa + 1) * (y1 - y0) * (x1 - x0) { partial += 1 }
        }
        // About a fifth of the keys fall strictly inside the lanes' requests (the rest before or past them).
        #expect(partial > 300, "\(partial) of \(checked) keys inside the lanes' requests")
    }

    @Test("every CALC ws convolution fixture: class count = replay = SCALE-Sim's DRAM ifmap reads")
    func fixtures() {
        let checked = ScaleSimIfmapClassesTests.agreeOnFixtures(.ws) { Self.both($0, rows: $1, columns: $2, words: $3) }
        #expect(checked >= 4, "\(checked) fixtures")
    }

    @Test("ResNet-50's convolutions, ws on 32×32 with 64 KiB buffers (scale.cfg) and on 8×8 with 8 KiB")
    func resnet50() {
        var checked = 0
        for layer in ScaleSimIfmapCountTests.resnet50() {
            for (rows, words) in [(32, 64 * 1024), (8, 8 * 1024)] {
                let (classes, replay) = Self.both(layer, rows: rows, columns: rows, words: words)
                // The replay declines past its request limit; the class count does not.
                #expect(classes != nil)
                guard let replay else { continue }
                #expect(classes == replay, "\(layer.conv!) N \(layer.n) on \(rows)×\(rows)")
                checked += 1
            }
        }
        #expect(checked >= 25, "\(checked) layer × array cases")
    }
}
