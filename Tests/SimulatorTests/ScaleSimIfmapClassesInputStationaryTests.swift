import Formats
import Testing
@testable import Simulator

/// The window-offset-class CALC ifmap count for is (`ScaleSimIfmapClasses.isDramReads`, any channel count,
/// gcd(R, C) = 1 included) against the request-by-request replay of `read_buffer_estimate_bw`'s drop rule
/// (`ScaleSimIfmapReplay.replay`), which is exact on every CALC convolution fixture (`ScaleSimCalcTests`).
@Suite("CALC is ifmap DRAM reads by window-offset class equal the request-by-request replay")
struct ScaleSimIfmapClassesInputStationaryTests {
    static func both(_ layer: ScaleSimLayer, rows: Int, columns: Int, words: Int) -> (classes: Int?, replay: Int?) {
        let conv = layer.conv!
        return (ScaleSimIfmapClasses.isDramReads(layer, conv: conv, rows: rows, columns: columns, bufferWords: words),
                ScaleSimIfmapReplay.replay(layer, conv: conv, rows: rows, columns: columns, dataflow: .is,
                                           bufferWords: words))
    }

    @Test("600 seeded random is convolutions (gcd(R, C) = 1 mostly, strides 1–3, ragged, columns 1–16)")
    func seededShapes() {
        var g = SplitMix64(seed: 13_013_131)
        func next(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &g) }
        var compared = 0, reread = 0, coprime = 0, farBack = 0, outside = 0, lastNarrow = 0
        for _ in 0..<600 {
            let rows = [1, 2, 3, 4, 5, 7, 8, 16][next(0...7)], columns = next(1...16)
            let h = next(2...20), w = next(2...20)
            let kernel = (next(1...min(h, 7)), next(1...min(w, 7)))
            // Output sizes past lpsim's (SCALE-Sim's own ceil) put window positions outside the input.
            let stride = next(1...3), grow = next(0...3) == 0 ? 1 : 0
            // Channel counts coprime to the rows three times in four.
            var ch = next(1...10)
            if next(0...3) > 0 { while ScaleSimModel.gcd(rows, ch) != 1 { ch += 1 } }
            let conv = ScaleSimLayer.Convolution(h: h, w: w, r: kernel.0, s: kernel.1, c: ch,
                                                 stride: stride, p: (h - kernel.0) / stride + 1 + grow,
                                                 q: (w - kernel.1) / stride + 1 + grow)
            let layer = ScaleSimLayer(convolution: conv, filters: next(1...20))
            let words = next(100...1200)
            let (classes, replay) = Self.both(layer, rows: rows, columns: columns, words: words)
            #expect(classes != nil && classes == replay, "\(conv) N \(layer.n) on \(rows)×\(columns), \(words) words")
            compared += 1
            if ScaleSimModel.gcd(rows, conv.c) == 1 { coprime += 1 }
            // A word's previous request a block or more back:
            // the pixel shift Q·⌊(R − 1)/stride⌋ reaches a block.
            if conv.q * ((conv.r - 1) / stride) + (conv.s - 1) / stride >= columns { farBack += 1 }
            if grow == 1 { outside += 1 }
            if layer.m % columns != 0 { lastNarrow += 1 }
            if let replay, replay > ScaleSimVisits.distinctPixels(conv) { reread += 1 }
        }
        // Most cases overflow the buffer and re-read words (a count the drop placement decides).
        let summary = "\(reread) re-read, \(coprime) coprime, \(farBack) δ ≥ columns, \(outside) out of range, "
            + "\(lastNarrow) narrow last block of \(compared)"
        #expect(compared == 600 && reread > 200 && coprime > 350 && farBack > 200 && outside > 100
                    && lastNarrow > 200, "\(summary)")
    }

    @Test("every CALC is convolution fixture: class count = replay = SCALE-Sim's DRAM ifmap reads")
    func fixtures() {
        let checked = ScaleSimIfmapClassesTests.agreeOnFixtures(.is) { Self.both($0, rows: $1, columns: $2, words: $3) }
        #expect(checked >= 4, "\(checked) fixtures")
    }

    @Test("ResNet-50's convolutions, is on 32×32 with 64 KiB buffers (scale.cfg) and on 8×8 with 8 KiB")
    func resnet50() {
        var checked = 0
        for layer in ScaleSimIfmapCountTests.resnet50() {
            for (rows, words) in [(32, 64 * 1024), (8, 8 * 1024)] {
                let (classes, replay) = Self.both(layer, rows: rows, columns: rows, words: words)
                #expect(classes != nil)
                // The replay declines past its request limit; the class count does not.
                guard let replay else { continue }
                #expect(classes == replay, "\(layer.conv!) N \(layer.n) on \(rows)×\(rows)")
                checked += 1
            }
        }
        #expect(checked >= 25, "\(checked) layer × array cases")
    }
}

/// The same for os (`ScaleSimIfmapClasses.osDramReads`; C = 1 mostly, lanes one by one; runs of C > 1 lanes
/// are tested in `ScaleSimIfmapCountTests`), multi-pass included.
@Suite("CALC os ifmap DRAM reads by window-offset class equal the request-by-request replay")
struct ScaleSimIfmapClassesOutputStationaryTests {
    static func both(_ layer: ScaleSimLayer, rows: Int, columns: Int, words: Int) -> (classes: Int?, replay: Int?) {
        let conv = layer.conv!
        return (ScaleSimIfmapClasses.osDramReads(layer, conv: conv, rows: rows, columns: columns, bufferWords: words),
                ScaleSimIfmapReplay.replay(layer, conv: conv, rows: rows, columns: columns, dataflow: .os,
                                           bufferWords: words))
    }

    @Test("600 seeded random os convolutions (C = 1 mostly, strides 1–3, ragged, rows 1–16, multi-pass)")
    func seededShapes() {
        var g = SplitMix64(seed: 31_031_313)
        func next(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &g) }
        var compared = 0, reread = 0, single = 0, farBack = 0, outside = 0, passes = 0
        for _ in 0..<600 {
            let rows = next(1...16), columns = [1, 2, 3, 8][next(0...3)]
            let h = next(2...20), w = next(2...20)
            let kernel = (next(1...min(h, 7)), next(1...min(w, 7)))
            let stride = next(1...3), grow = next(0...3) == 0 ? 1 : 0
            let conv = ScaleSimLayer.Convolution(h: h, w: w, r: kernel.0, s: kernel.1,
                                                 c: next(0...3) > 0 ? 1 : next(2...5), stride: stride,
                                                 p: (h - kernel.0) / stride + 1 + grow,
                                                 q: (w - kernel.1) / stride + 1 + grow)
            let layer = ScaleSimLayer(convolution: conv, filters: next(1...20))
            // Buffers a single channel's pixels overflow (C = 1 layers hold at most 400 words).
            let words = next(100...400)
            let (classes, replay) = Self.both(layer, rows: rows, columns: columns, words: words)
            #expect(classes != nil && classes == replay, "\(conv) N \(layer.n) on \(rows)×\(columns), \(words) words")
            compared += 1
            if conv.c == 1 { single += 1 }
            // The pixel shift Q·⌊(R − 1)/stride⌋ reaches a block of R pixels.
            if conv.q * ((conv.r - 1) / stride) + (conv.s - 1) / stride >= rows { farBack += 1 }
            if grow == 1 { outside += 1 }
            if layer.n > columns { passes += 1 }
            if let replay, replay > ScaleSimVisits.distinctPixels(conv) { reread += 1 }
        }
        let summary = "\(reread) re-read, \(single) C = 1, \(farBack) δ ≥ rows, \(outside) out of range, "
            + "\(passes) multi-pass of \(compared)"
        #expect(compared == 600 && reread > 200 && single > 350 && farBack > 200 && outside > 100 && passes > 300,
                "\(summary)")
    }

    @Test("every CALC os convolution fixture: class count = replay = SCALE-Sim's DRAM ifmap reads")
    func fixtures() {
        let checked = ScaleSimIfmapClassesTests.agreeOnFixtures(.os) { Self.both($0, rows: $1, columns: $2, words: $3) }
        #expect(checked >= 4, "\(checked) fixtures")
    }

    @Test("ResNet-50's convolutions, os on 32×32 with 64 KiB buffers (scale.cfg), where the replay runs")
    func resnet50() {
        var checked = 0
        for layer in ScaleSimIfmapCountTests.resnet50() {
            let conv = layer.conv!
            // The replay declines past its request limit (and production with it).
            guard ScaleSimModel.sramCounts(layer, rows: 32, columns: 32, dataflow: .os).ifmap
                    <= ScaleSimIfmapReplay.requestLimit else { continue }
            let (classes, replay) = Self.both(layer, rows: 32, columns: 32, words: 64 * 1024)
            #expect(classes != nil && classes == replay, "\(conv) N \(layer.n)")
            checked += 1
        }
        #expect(checked >= 5, "\(checked) layers")
    }
}
