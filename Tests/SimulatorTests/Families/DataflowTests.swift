import Documents
import Formats
import Foundation
import Hardware
import Testing
@testable import Simulator
@testable import Workload

/// The FINN-style dataflow mapping: folding, resources, rate, latency, search.
@Suite("FPGA dataflow designs")
struct DataflowTests {
    static func layer(_ name: String, _ mh: Int, _ mw: Int, _ pixels: Int, _ format: String = "binary") throws
        -> DataflowLayer {
        let f = try FormatCatalog.format(named: format)
        return DataflowLayer(name: name, rows: mh, columns: mw, pixels: pixels, weight: f, input: f)
    }

    @Test("throughput is clock / max II and latency the sum of the units' cycles (three layers, by hand)")
    func threeLayers() throws {
        let planner = try DataflowPlanner(hardware: try device("xilinx-zc706.yaml"))
        let layers = [try Self.layer("a", 64, 32, 10), try Self.layer("b", 16, 64, 10), try Self.layer("c", 10, 16, 1)]
        let d = try planner.design(layers, foldings: [(8, 4, nil), (4, 16, nil), (1, 1, nil)])
        // By hand: a = (64/8)(32/4)·10 = 640, b = (16/4)(64/16)·10 = 160, c = 10·16·1 = 160 cycles.
        #expect(d.units.map(\.cycles) == [640, 160, 160])
        #expect(d.maxII == 640)
        #expect(d.inferencesPerSecond == 200e6 / 640)  // the ZC706 file's 200 MHz
        #expect(abs(d.latencySeconds - 960 / 200e6) < 1e-15)
        #expect(d.bottleneck == "a")
    }

    @Test("block RAM and URAM counts follow UG573's aspect ratios")
    func memories() {
        // 1024 × 36 bits: two 1K × 18 (or 512 × 36) BRAM18s.
        #expect(UnitResources.bram18Blocks(depth: 1024, width: 36) == 2)
        // 16K × 1 fits one BRAM18; 16K × 2 needs two.
        #expect(UnitResources.bram18Blocks(depth: 16384, width: 1) == 1)
        #expect(UnitResources.bram18Blocks(depth: 16384, width: 2) == 2)
        // 600 × 72: 2 × ⌈72/36⌉ = 4 at 512 × 36; 1K × 18 needs 4 too.
        #expect(UnitResources.bram18Blocks(depth: 600, width: 72) == 4)
        // URAM is 4K × 72 only: 4097 × 73 needs 2 × 2.
        #expect(UnitResources.uramBlocks(depth: 4097, width: 73) == 4)
        #expect(UnitResources.uramBlocks(depth: 4096, width: 72) == 1)
    }

    @Test("DSP packing per slice type: WP486 pairs PEs, AM004 groups SIMD lanes by three")
    func dspPacking() {
        #expect(UnitResources.dspsFor(pe: 4, simd: 8, dspType: .dsp48e2, packing: 2) == 16)
        #expect(UnitResources.dspsFor(pe: 5, simd: 8, dspType: .dsp48e2, packing: 2) == 24)
        #expect(UnitResources.dspsFor(pe: 4, simd: 8, dspType: .dsp58, packing: 3) == 12)
        #expect(UnitResources.dspsFor(pe: 4, simd: 8, dspType: .dsp48e2, packing: 1) == 32)
    }

    @Test("accumulator width from the operands' bound (A2Q / FINN)")
    func accumulator() throws {
        // Binary (bipolar, signed) 784-long: α = log2 784 + 1 + 1 − 1 − 1 = 9.61, ⌈α + log2(1 + 2^−α) + 1⌉ = 11.
        #expect(UnitResources.accumulatorBits(try Self.layer("x", 1, 784, 1)) == 11)
        // INT8 × INT8, 4096 long: |sum| ≤ 4096 · 128 · 128 = 2^26, which takes 28 signed bits.
        #expect(UnitResources.accumulatorBits(try Self.layer("x", 1, 4096, 1, "int8")) == 28)
    }

    @Test("a design over budget is refused with the resource named")
    func overBudget() throws {
        let planner = try DataflowPlanner(hardware: try device("xilinx-zc706.yaml"))
        let big = try Self.layer("big", 1024, 1024, 1)
        #expect(throws: Diagnostic.self) { try planner.design([big], foldings: [(1024, 1024, nil)]) }
        do { _ = try planner.design([big], foldings: [(1024, 1024, nil)]) } catch let d as Diagnostic {
            #expect(d.message.contains("LUTs"), "\(d.message)")
        }
        // INT16 on DSP48E1s: 900 slices cannot hold a 64 × 32 fully parallel unit.
        let wide = try Self.layer("wide", 64, 32, 1, "int16")
        do { _ = try planner.design([wide], foldings: [(64, 32, .dsp)]); Issue.record("accepted") }
        catch let d as Diagnostic { #expect(d.message.contains("DSP slices"), "\(d.message)") }
        // The search folds it to fit instead.
        let folded = try planner.search([wide])
        #expect(folded.total.fits(planner.budget))
    }

    @Test("the folding search is no worse than an exhaustive search on a small network")
    func searchMatchesExhaustive() throws {
        // A device small enough that the budget binds: the ZC706 with 12,000 LUTs and 20 DSP slices.
        var model = try device("xilinx-zc706.yaml")
        var spec = try #require(model.spec as? FPGAFamily)
        spec.luts = 12000
        spec.dsps = 20
        model.spec = spec
        let planner = try DataflowPlanner(hardware: model)
        let layers = [try Self.layer("a", 16, 24, 16), try Self.layer("b", 12, 16, 16, "int16"),
                      try Self.layer("c", 4, 6, 1)]
        // The budget binds: the fully parallel design does not fit.
        #expect(throws: Diagnostic.self) {
            try planner.design(layers, foldings: [(16, 24, nil), (12, 16, .lut), (4, 6, nil)])
        }
        let found = try planner.search(layers)
        var best = 0.0
        let options = layers.map { l in
            planner.styles(l).flatMap { style in
                DataflowPlanner.divisors(l.rows).flatMap { pe in
                    DataflowPlanner.divisors(l.columns).map { simd in (pe, simd, Optional(style)) }
                }
            }
        }
        for a in options[0] {
            for b in options[1] {
                for c in options[2] {
                    guard let d = try? planner.design(layers, foldings: [a, b, c]) else { continue }
                    best = max(best, d.inferencesPerSecond)
                }
            }
        }
        #expect(best > 0)
        #expect(found.inferencesPerSecond >= best * (1 - 1e-12),
                "search \(found.inferencesPerSecond), exhaustive \(best)")
        #expect(found.total.fits(planner.budget))
    }

    @Test("weights that overflow the block RAM spill to URAM, then stream from DDR at its bandwidth")
    func spill() throws {
        var model = try device("xilinx-alveo-u250.yaml")
        var spec = try #require(model.spec as? FPGAFamily)
        spec.bram36k = 1
        spec.uram = 1
        model.spec = spec
        let planner = try DataflowPlanner(hardware: model)
        let layer = try Self.layer("fc", 4096, 4096, 1, "int8")
        let d = try planner.design([layer], foldings: [(64, 64, .dsp)])
        #expect(d.units[0].store == .ddr)
        #expect(d.isBandwidthBound)
        // 16 MiB of INT8 weights per inference over the U250's 77 GB/s.
        #expect(abs(d.inferencesPerSecond - 77e9 / (4096 * 4096)) < 1e-6)
    }

    @Test("behind a sliding window SIMD divides the input channels, and the window's line buffer is counted")
    func slidingWindow() throws {
        var planner = try DataflowPlanner(hardware: try device("xilinx-zc706.yaml"))
        let trace = Trace(name: "t", ops: [
            Op(name: "conv", kind: .conv2d, dims: ["c": 3, "h": 32, "w": 32, "k": 64, "r": 3, "s": 3]),
        ])
        let layer = try #require(try DataflowLayer.layers(of: trace, plan: try PrecisionPlan.load("int8")).first)
        #expect(layer.window == DataflowLayer.Window(kernelRows: 3, inputWidth: 32, channels: 3, stride: 1))
        // A parallel window also offers whole pixels: multiples of C = 3 dividing MW = 27.
        #expect(Set(planner.candidates(layer).map(\.simd)) == [1, 3, 9, 27])
        var binary = layer
        binary.weight = try FormatCatalog.format(named: "binary")
        binary.input = binary.weight
        #expect(try planner.search([binary]).maxII == 900)  // (64/64)(27/27) · 900
        planner.parallelWindow = false
        #expect(Set(planner.candidates(layer).map(\.simd)) == [1, 3])
        // Fully parallel over channels and PEs: 27/3 · 64/64 · 900 pixels.
        let fastest = try planner.search([layer])
        #expect(fastest.maxII == 9 * 900)
        // SIMD 1: (3 + 1) lines of 32 · 3 words of 8 bits, 384 words, in one BRAM18 (2K × 9).
        let u = planner.unit(layer, pe: 1, simd: 1, style: .lut, store: .ddr)
        #expect(u.usage.bram18 == 1)
        // Latency adds the window's fill: 3 lines × 32 × 3/1 words.
        let d = try planner.design([layer], foldings: [(1, 1, .lut)])
        #expect(abs(d.latencySeconds - Double(64 * 27 * 900 + 3 * 32 * 3) / 200e6) < 1e-12)
    }

    @Test("a trace's gemm and conv2d ops become units; attention products are refused")
    func layersFromTrace() throws {
        let trace = Trace(name: "t", ops: [
            Op(name: "conv", kind: .conv2d, dims: ["c": 3, "h": 32, "w": 32, "k": 64, "r": 3, "s": 3]),
            Op(name: "fc", kind: .gemm, dims: ["m": 1, "n": 10, "k": 256]),
        ])
        let layers = try DataflowLayer.layers(of: trace, plan: try PrecisionPlan.load("int8"))
        #expect(layers.map(\.rows) == [64, 10])
        #expect(layers.map(\.columns) == [27, 256])
        #expect(layers.map(\.pixels) == [900, 1])
        let attention = Trace(name: "a", ops: [
            Op(name: "qk", kind: .attentionQK, dims: ["batch": 1, "heads": 1, "seq_q": 8, "seq_kv": 8, "head_dim": 8]),
        ])
        #expect(throws: Diagnostic.self) {
            try DataflowLayer.layers(of: attention, plan: try PrecisionPlan.load("int8"))
        }
    }
}
