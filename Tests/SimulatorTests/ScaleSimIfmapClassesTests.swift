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
        for run in ScaleSimCalcTests.runs where run.kind == "conv" && run.dataflow == dataflow {
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
