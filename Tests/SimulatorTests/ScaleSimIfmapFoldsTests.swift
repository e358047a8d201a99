import Formats
import Testing
@testable import Simulator

/// The fold-by-fold CALC ifmap count (`ScaleSimIfmapFolds`) against the request-by-request replay of
/// `read_buffer_estimate_bw`'s drop rule (`ScaleSimIfmapReplay.replay`), which is exact on every CALC
/// convolution fixture (`ScaleSimCalcTests`).
@Suite("CALC ifmap DRAM reads fold by fold equal the request-by-request replay")
struct ScaleSimIfmapFoldsTests {
    static func both(_ layer: ScaleSimLayer, rows: Int, columns: Int, words: Int,
                     dataflow: SystolicModel.Dataflow = .ws) -> (folds: Int?, replay: Int?) {
        let conv = layer.conv!
        let folds = dataflow == .ws
            ? ScaleSimIfmapFolds.wsDramReads(layer, conv: conv, rows: rows, columns: columns, bufferWords: words)
            : ScaleSimIfmapFolds.isDramReads(layer, conv: conv, rows: rows, columns: columns, bufferWords: words)
        return (folds, ScaleSimIfmapReplay.replay(layer, conv: conv, rows: rows, columns: columns, dataflow: dataflow,
                                                  bufferWords: words))
    }

    @Test("400 seeded random convolutions per dataflow (strides 1–3, ragged edges, drops mid-fold)",
          arguments: [SystolicModel.Dataflow.ws, .is])
    func seededShapes(dataflow: SystolicModel.Dataflow) {
        var g = SplitMix64(seed: 13)
        func next(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &g) }
        var compared = 0, reread = 0
        for _ in 0..<400 {
            let rows = [1, 2, 4, 8][next(0...3)], columns = [1, 3, 8][next(0...2)]
            let h = next(2...18), w = next(2...18)
            let conv = ScaleSimLayer.Convolution(h: h, w: w, r: next(1...min(h, 4)), s: next(1...min(w, 4)),
                                                 c: rows * next(1...3), stride: next(1...3))
            let layer = ScaleSimLayer(convolution: conv, filters: next(1...12))
            let words = next(100...1000)
            let (folds, replay) = Self.both(layer, rows: rows, columns: columns, words: words, dataflow: dataflow)
            #expect(folds != nil && folds == replay, "\(conv) N \(layer.n) on \(rows)×\(columns), \(words) words")
            compared += 1
            if let replay, replay > ScaleSimVisits.distinctPixels(conv) { reread += 1 }
        }
        // Most cases overflow the buffer and re-read words (a count the drop placement decides).
        #expect(compared == 400 && reread > 150, "\(reread) of \(compared) cases re-read ifmap words")
    }

    @Test("channels that are not whole R-row slices, and other dataflows, are left to the replay")
    func outside() {
        let conv = ScaleSimLayer.Convolution(h: 10, w: 10, r: 3, s: 3, c: 6, stride: 1)
        let layer = ScaleSimLayer(convolution: conv, filters: 8)
        #expect(ScaleSimIfmapFolds.wsDramReads(layer, conv: conv, rows: 4, columns: 4, bufferWords: 500) == nil)
        #expect(ScaleSimIfmapFolds.isDramReads(layer, conv: conv, rows: 4, columns: 4, bufferWords: 500) == nil)
        #expect(ScaleSimIfmapFolds.wsDramReads(layer, conv: conv, rows: 3, columns: 4, bufferWords: 500) != nil)
    }

    @Test("every ws and is convolution fixture of SCALE-Sim's CALC runs whose channels split into R-row slices")
    func fixtures() {
        var checked = 0
        for run in ScaleSimCalcTests.runs where run.kind == "conv" && run.dataflow != .os {
            let layer = run.scaleSimLayer
            guard layer.conv!.c % run.rows == 0 else { continue }
            let (folds, replay) = Self.both(layer, rows: run.rows, columns: run.columns, words: run.memory.ifmapWords,
                                            dataflow: run.dataflow)
            #expect(folds == replay, "\(run)")
            #expect(folds.map(Double.init) == run.reported["dram_ifmap_reads"], "\(run)")
            checked += 1
        }
        #expect(checked >= 12)
    }

    @Test("ResNet-50's 3×3 convolutions on SCALE-Sim's 32×32 array with 64 KiB buffers (scale.cfg)")
    func resnet50() {
        for (hw, c, stride) in [(58, 64, 1), (30, 128, 1), (58, 128, 2), (9, 512, 1)] {
            let conv = ScaleSimLayer.Convolution(h: hw, w: hw, r: 3, s: 3, c: c, stride: stride)
            let layer = ScaleSimLayer(convolution: conv, filters: c)
            for dataflow in [SystolicModel.Dataflow.ws, .is] {
                let (folds, replay) = Self.both(layer, rows: 32, columns: 32, words: 64 * 1024, dataflow: dataflow)
                #expect(folds != nil && folds == replay, "\(conv) \(dataflow)")
            }
        }
    }
}
