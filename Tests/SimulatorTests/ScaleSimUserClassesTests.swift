import Formats
import Testing
@testable import Simulator

/// USER mode's ifmap read buffer walked from miss to miss (`ScaleSimUserClasses`) against the request-by-request
/// replay of SCALE-Sim's `read_buffer` (`ScaleSimUserReplay.ifmap`), whose reports feed `ScaleSimUserTests`
/// (SCALE-Sim's own USER reports): the same advances and the same (demand row, prefetches) events.
@Suite("USER ifmap buffer by window-offset class equals the request-by-request replay")
struct ScaleSimUserClassesTests {
    struct Outcome: Equatable {
        var advances: Int, events: [[Int]]
        init(_ r: ScaleSimUserReplay.Result) { (advances, events) = (r.advances, r.events.map { [$0.row, $0.misses] }) }
    }

    static func both(_ layer: ScaleSimLayer, rows: Int, columns: Int, dataflow: SystolicModel.Dataflow, words: Int)
        -> (classes: Outcome?, replay: Outcome?) {
        let conv = layer.conv!
        let classes = ScaleSimUserClasses.ifmap(layer, conv: conv, rows: rows, columns: columns, dataflow: dataflow,
                                                bufferWords: words)
        let replay = ScaleSimUserReplay.ifmap(layer, conv: conv, rows: rows, columns: columns, dataflow: dataflow,
                                              bufferWords: words)
        return (classes.map(Outcome.init), replay.map(Outcome.init))
    }

    /// Several hundred seeded convolutions: gcd(R, C) = 1 and > 1, strides 1–3, ragged K and M, output sizes
    /// past the input (window positions outside it), multi-pass, buffers from a few lines to the whole ifmap.
    static func seeded(_ dataflow: SystolicModel.Dataflow, seed: UInt64, count: Int) {
        var g = SplitMix64(seed: seed)
        func next(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &g) }
        var compared = 0, missed = 0, manyEvents = 0, coprime = 0, passes = 0, outside = 0, stepZero = 0
        for _ in 0..<count {
            let rows = [1, 2, 3, 4, 5, 8, 16][next(0...6)], columns = [1, 3, 8][next(0...2)]
            let h = next(2...16), w = next(2...16)
            let kernel = (next(1...min(h, 5)), next(1...min(w, 5)))
            let stride = next(1...3), grow = next(0...3) == 0 ? 1 : 0
            let conv = ScaleSimLayer.Convolution(h: h, w: w, r: kernel.0, s: kernel.1, c: next(1...6),
                                                 stride: stride, p: (h - kernel.0) / stride + 1 + grow,
                                                 q: (w - kernel.1) / stride + 1 + grow)
            let layer = ScaleSimLayer(convolution: conv, filters: next(1...20))
            let entries = layer.m * layer.k
            let words = [next(2...200), next(100...1200), next(entries / 2...entries * 2 + 4)][next(0...2)]
            let (classes, replay) = Self.both(layer, rows: rows, columns: columns, dataflow: dataflow, words: words)
            #expect(classes != nil && classes == replay,
                    "\(dataflow) \(conv) N \(layer.n) on \(rows)×\(columns), \(words) words")
            compared += 1
            if let replay, replay.advances > 0 { missed += 1 }
            if let replay, replay.events.count >= 20 { manyEvents += 1 }
            let valid = ScaleSimVisits.validWindowEntries(conv, m: layer.m)
            if ScaleSimUserClasses.Ring(valid: valid, bufferWords: words).step == 0 { stepZero += 1 }
            if ScaleSimModel.gcd(rows, conv.c) == 1 { coprime += 1 }
            // Several passes over the same ring (os, ws: N > columns) or several pixel blocks (is: M > columns).
            if (dataflow == .is ? layer.m : layer.n) > columns { passes += 1 }
            if grow == 1 || (h - kernel.0) % stride != 0 { outside += 1 }
        }
        let summary = "\(missed) missed, \(manyEvents) with ≥ 20 events, \(stepZero) with step 0, "
            + "\(coprime) coprime, \(passes) multi-pass, \(outside) outside of \(compared)"
        #expect(compared == count && missed > count / 2 && manyEvents > count / 10 && stepZero > 5
                && coprime > count / 4 && passes > count / 4 && outside > count / 5, "\(summary)")
    }

    @Test("400 seeded ws convolutions: advances and events equal the replay's")
    func seededWS() { Self.seeded(.ws, seed: 13_002, count: 400) }

    @Test("400 seeded os convolutions: advances and events equal the replay's")
    func seededOS() { Self.seeded(.os, seed: 13_001, count: 400) }

    @Test("400 seeded is convolutions: advances and events equal the replay's")
    func seededIS() { Self.seeded(.is, seed: 13_003, count: 400) }

    @Test("every USER convolution fixture (SCALE-Sim's own runs): the walk equals the replay")
    func fixtures() {
        var checked = 0
        for run in ScaleSimUserTests.runs where run.kind == "conv" {
            let (classes, replay) = Self.both(run.scaleSimLayer, rows: run.rows, columns: run.columns,
                                              dataflow: run.dataflow, words: run.memory.ifmapWords)
            #expect(replay != nil && classes == replay, "\(run)")
            checked += 1
        }
        #expect(checked >= 40, "\(checked) fixtures")
    }

    @Test("ResNet-50's convolutions on 32×32 with 16 KiB ifmap buffers: the walk equals the replay",
          arguments: [SystolicModel.Dataflow.os, .ws, .is])
    func resnet50(dataflow: SystolicModel.Dataflow) {
        var checked = 0, declined = 0
        for layer in ScaleSimIfmapCountTests.resnet50() {
            let (classes, replay) = Self.both(layer, rows: 32, columns: 32, dataflow: dataflow, words: 16 * 1024)
            // The replay declines past its request limit; the walk does not.
            #expect(classes != nil)
            guard let replay else { declined += 1; continue }
            #expect(classes == replay, "\(dataflow) \(layer.conv!) N \(layer.n)")
            checked += 1
        }
        #expect(checked >= 20, "\(checked) layers, \(declined) past the replay's limit")
    }
}

/// A broken invariant of the walk is reported, never trapped: `ScaleSimUserMode.report` then replays.
@Suite("USER walk's invariant checks")
struct ScaleSimUserRingTests {
    @Test("a 'miss' on a word the window holds marks the ring inconsistent and moves nothing")
    func heldWordIsReported() {
        var ring = ScaleSimUserClasses.Ring(valid: 10_000, bufferWords: 1_000)
        #expect(ring.consistent && ring.step > 0)
        ring.miss(ranks: [0], row: 3)   // rank 0 is in the first line, inside the window at the start
        #expect(!ring.consistent && ring.window == 0 && ring.advances == 0 && ring.events.isEmpty)
        var fresh = ScaleSimUserClasses.Ring(valid: 10_000, bufferWords: 1_000)
        fresh.miss(ranks: [9_999], row: 3)
        #expect(fresh.consistent && fresh.advances > 0 && fresh.events.count == 1)
    }
}
