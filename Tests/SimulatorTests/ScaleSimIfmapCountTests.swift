import Foundation
import Formats
import Testing
@testable import Simulator

/// The production CALC ifmap count (`ScaleSimIfmapReplay.dramReads`: ws by window-offset class with lanes
/// counted in runs, `ScaleSimIfmapClasses`; is fold by fold, `ScaleSimIfmapFolds`, or run by run,
/// `ScaleSimIfmapRuns`, with os) against the request-by-request replay of `read_buffer_estimate_bw`'s drop
/// rule (`ScaleSimIfmapReplay.replay`), which is exact on every CALC convolution fixture (`ScaleSimCalcTests`).
/// The class suites test the class counts directly, mostly where lanes are single (gcd(R, C) = 1, C = 1).
@Suite("CALC ifmap DRAM reads, as production counts them, equal the request-by-request replay")
struct ScaleSimIfmapCountTests {
    static func both(_ layer: ScaleSimLayer, rows: Int, columns: Int, words: Int,
                     dataflow: SystolicModel.Dataflow) -> (count: Int?, replay: Int?) {
        let conv = layer.conv!
        return (ScaleSimIfmapReplay.dramReads(layer, conv: conv, rows: rows, columns: columns, dataflow: dataflow,
                                              bufferWords: words),
                ScaleSimIfmapReplay.replay(layer, conv: conv, rows: rows, columns: columns, dataflow: dataflow,
                                           bufferWords: words))
    }

    @Test("400 seeded random convolutions per dataflow (C ≥ 2, strides 1–3, ragged edges, drops mid-fold)",
          arguments: [SystolicModel.Dataflow.os, .ws, .is])
    func seededShapes(dataflow: SystolicModel.Dataflow) {
        var g = SplitMix64(seed: 1313)
        func next(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &g) }
        var compared = 0, reread = 0, partial = 0
        for _ in 0..<400 {
            let rows = [2, 3, 4, 6, 8][next(0...4)], columns = [1, 3, 8][next(0...2)]
            let h = next(2...16), w = next(2...16)
            // os: any C ≥ 2; ws/is: a C sharing a factor with R that is not always a multiple of it.
            let c = dataflow == .os ? next(2...20) : [2, 3, 4, 6, 8, 9, 10, 12][next(0...7)]
            let conv = ScaleSimLayer.Convolution(h: h, w: w, r: next(1...min(h, 4)), s: next(1...min(w, 4)),
                                                 c: c, stride: next(1...3))
            let layer = ScaleSimLayer(convolution: conv, filters: next(1...12))
            let words = next(100...1000)
            let (count, replay) = Self.both(layer, rows: rows, columns: columns, words: words, dataflow: dataflow)
            #expect(count != nil && count == replay,
                    "\(conv) N \(layer.n) on \(rows)×\(columns), \(words) words, \(dataflow)")
            compared += 1
            if c % rows != 0 { partial += 1 }
            if let replay, replay > ScaleSimVisits.distinctPixels(conv) { reread += 1 }
        }
        // Most cases overflow the buffer and re-read words (a count the drop placement decides).
        #expect(reread > 150, "\(reread) of \(compared) cases re-read ifmap words")
        if dataflow != .os { #expect(partial > 100, "\(partial) partial-slice cases") }
    }

    @Test("400 seeded random ws and is convolutions whose channels are whole R-row slices (ws: one run a fold)",
          arguments: [SystolicModel.Dataflow.ws, .is])
    func wholeSlices(dataflow: SystolicModel.Dataflow) {
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
            let (count, replay) = Self.both(layer, rows: rows, columns: columns, words: words, dataflow: dataflow)
            #expect(count != nil && count == replay, "\(conv) N \(layer.n) on \(rows)×\(columns), \(words) words")
            compared += 1
            if let replay, replay > ScaleSimVisits.distinctPixels(conv) { reread += 1 }
        }
        #expect(reread > 150, "\(reread) of \(compared) cases re-read ifmap words")
    }

    @Test("every CALC convolution fixture: production count = replay = SCALE-Sim's DRAM ifmap reads")
    func fixtures() {
        var checked = 0
        for run in ScaleSimCalcTests.replayable where run.kind == "conv" {
            let (count, replay) = Self.both(run.scaleSimLayer, rows: run.rows, columns: run.columns,
                                            words: run.memory.ifmapWords, dataflow: run.dataflow)
            #expect(count != nil && count == replay, "\(run)")
            #expect(count.map(Double.init) == run.reported["dram_ifmap_reads"], "\(run)")
            checked += 1
        }
        #expect(checked >= 12, "\(checked) fixtures")
    }

    /// Every convolution of `workloads/resnet50.yaml` (padded as `SystolicEngine.layer` pads it).
    static func resnet50() -> [ScaleSimLayer] {
        let text = (try? String(contentsOf: root.appendingPathComponent("workloads/resnet50.yaml"), encoding: .utf8))
            ?? ""
        var layers: [ScaleSimLayer] = []
        for line in text.split(separator: "\n") where line.contains("kind: \"conv2d\"") {
            func field(_ name: String) -> Int? {
                guard let r = line.range(of: " \(name): ") else { return nil }
                return Int(line[r.upperBound...].prefix { $0.isNumber })
            }
            let (pad, stride) = (field("padding") ?? 0, field("stride") ?? 1)
            let (h, w, r, s) = (field("h")! + 2 * pad, field("w")! + 2 * pad, field("r")!, field("s")!)
            // lpsim's output size (no `ceil_mode`), as `SystolicEngine.layer` passes it.
            let conv = ScaleSimLayer.Convolution(h: h, w: w, r: r, s: s, c: field("c")!, stride: stride,
                                                 p: (h - r) / stride + 1, q: (w - s) / stride + 1)
            let layer = ScaleSimLayer(convolution: conv, filters: field("k")!)
            if !layers.contains(layer) { layers.append(layer) }
        }
        return layers
    }

    @Test("ResNet-50's convolutions on SCALE-Sim's 32×32 array with 64 KiB buffers (scale.cfg), three dataflows")
    func resnet50() {
        let layers = Self.resnet50()
        #expect(layers.count >= 15)
        var checked = 0
        for layer in layers {
            let conv = layer.conv!
            let visits = ScaleSimVisits(layer, rows: 32, columns: 32, dataflow: .os)
            // Layers the model replays: repeated or out-of-range window positions.
            guard visits.ifmapDistinct != layer.m * layer.k
                    || ScaleSimVisits.validWindowEntries(conv, m: layer.m) != layer.m * layer.k else { continue }
            for dataflow in [SystolicModel.Dataflow.os, .ws, .is] {
                let (count, replay) = Self.both(layer, rows: 32, columns: 32, words: 64 * 1024, dataflow: dataflow)
                #expect(count != nil)
                // The replay declines past its request limit.
                guard let replay else { continue }
                #expect(count == replay, "\(conv) N \(layer.n) \(dataflow)")
                checked += 1
            }
        }
        #expect(checked >= 20, "\(checked) layer × dataflow cases")
    }

    @Test("an os and a partial-slice is layer above the replay's old request limit are counted exactly")
    func aboveRequestLimit() {
        // 17.9 M (os) and 9.0 M (is) SRAM ifmap requests: the production count once declined both.
        let conv = ScaleSimLayer.Convolution(h: 146, w: 146, r: 3, s: 3, c: 48, stride: 1)
        for (dataflow, filters) in [(SystolicModel.Dataflow.os, 64), (.is, 64)] {
            let layer = ScaleSimLayer(convolution: conv, filters: filters)
            let requests = ScaleSimModel.sramCounts(layer, rows: 32, columns: 32, dataflow: dataflow).ifmap
            #expect(requests > ScaleSimIfmapReplay.requestLimit, "\(dataflow): \(requests) requests")
            let count = ScaleSimIfmapReplay.dramReads(layer, conv: conv, rows: 32, columns: 32, dataflow: dataflow,
                                                      bufferWords: 16 * 1024)
            let replay = ScaleSimIfmapReplay.replay(layer, conv: conv, rows: 32, columns: 32, dataflow: dataflow,
                                                    bufferWords: 16 * 1024, limit: 2 * requests)
            #expect(count != nil && count == replay, "\(dataflow)")
            // Re-reads happen (the drop placement decides the count).
            #expect((replay ?? 0) > ScaleSimVisits.distinctPixels(conv), "\(dataflow)")
        }
    }

    @Test("a count over its step allowance declines; the report keeps the per-fold estimate and says so")
    func allowance() {
        let conv = ScaleSimLayer.Convolution(h: 30, w: 30, r: 3, s: 3, c: 6, stride: 1)
        let layer = ScaleSimLayer(convolution: conv, filters: 40)
        for dataflow in [SystolicModel.Dataflow.os, .ws, .is] {
            let exact = ScaleSimIfmapReplay.replay(layer, conv: conv, rows: 8, columns: 8, dataflow: dataflow,
                                                   bufferWords: 500)
            // Far past a small allowance by its fold structure: declined before it starts (in-loop stops:
            // `allowancePerPath`).
            for steps in [0, 200] {
                #expect(ScaleSimIfmapReplay.dramReads(layer, conv: conv, rows: 8, columns: 8, dataflow: dataflow,
                                                      bufferWords: 500, steps: steps) == nil, "\(dataflow) \(steps)")
            }
            var memory = ScaleSimMemory(mode: .calc, ifmapWords: 500, filterWords: 500, ofmapWords: 500,
                                        ifmapBandwidth: 10, filterBandwidth: 10, ofmapBandwidth: 8)
            let full = ScaleSimModel.report(layer, rows: 8, columns: 8, dataflow: dataflow, memory: memory)
            #expect(!full.ifmapReadsEstimated && full.dramIfmapReads == exact, "\(dataflow)")
            memory.exactCountSteps = 200
            let capped = ScaleSimModel.report(layer, rows: 8, columns: 8, dataflow: dataflow, memory: memory)
            memory.replayConvolutions = false
            let estimate = ScaleSimModel.report(layer, rows: 8, columns: 8, dataflow: dataflow, memory: memory)
            #expect(capped.ifmapReadsEstimated && !estimate.ifmapReadsEstimated, "\(dataflow)")
            #expect(capped.dramIfmapReads == estimate.dramIfmapReads && capped.dramIfmapReads != exact,
                    "\(dataflow): capped \(capped.dramIfmapReads), estimate \(estimate.dramIfmapReads)")
            #expect(capped.cycles == full.cycles, "\(dataflow)")
        }
    }

    @Test("every exact path stops once its step allowance is spent, and counts exactly within it")
    func allowancePerPath() {
        // (dataflow, C) picking each path on 8 rows: ws classes; is folds (C = 8), runs (gcd 2), blocks (C = 3);
        // os runs (C = 6), blocks (C = 1).
        let cases: [(SystolicModel.Dataflow, Int)] = [(.ws, 6), (.is, 8), (.is, 6), (.is, 3), (.os, 6), (.os, 1)]
        for (dataflow, channels) in cases {
            let conv = ScaleSimLayer.Convolution(h: 24, w: 24, r: 3, s: 3, c: channels, stride: 1)
            let layer = ScaleSimLayer(convolution: conv, filters: 20)
            func run(_ steps: Int) -> (reads: Int?, spent: Int, exhausted: Bool) {
                let work = ScaleSimWork(steps: steps)
                let reads = ScaleSimIfmapReplay.exact(layer, conv: conv, rows: 8, columns: 4, dataflow: dataflow,
                                                      bufferWords: 500, work: work)
                return (reads, steps - work.left, work.exhausted)
            }
            let full = run(Int.max / 2)
            let replay = ScaleSimIfmapReplay.replay(layer, conv: conv, rows: 8, columns: 4, dataflow: dataflow,
                                                    bufferWords: 500)
            #expect(full.reads != nil && full.reads == replay && !full.exhausted, "\(dataflow) C \(channels)")
            #expect(full.spent > 1000, "\(dataflow) C \(channels): \(full.spent) steps")
            // Exactly the steps it needs: still exact. Half of them: it stops well before the end.
            let just = run(full.spent)
            #expect(just.reads == replay && !just.exhausted, "\(dataflow) C \(channels)")
            let half = run(full.spent / 2)
            #expect(half.exhausted && half.spent < full.spent * 3 / 4,
                    "\(dataflow) C \(channels): spent \(half.spent) of \(full.spent)")
        }
    }

    @Test("a convolution with its batch folded into M keeps lpsim's estimate unflagged (no SCALE-Sim count exists)")
    func batchedConvolution() {
        let conv = ScaleSimLayer.Convolution(h: 30, w: 30, r: 3, s: 3, c: 6, stride: 1)
        let layer = ScaleSimLayer(m: 2 * conv.p * conv.q, n: 40, k: conv.r * conv.s * conv.c, conv: conv)
        let memory = ScaleSimMemory(mode: .calc, ifmapWords: 500, filterWords: 500, ofmapWords: 500,
                                    ifmapBandwidth: 10, filterBandwidth: 10, ofmapBandwidth: 8)
        for dataflow in [SystolicModel.Dataflow.os, .ws, .is] {
            let report = ScaleSimModel.report(layer, rows: 8, columns: 8, dataflow: dataflow, memory: memory)
            #expect(!report.ifmapReadsEstimated, "\(dataflow)")
        }
    }
}
