import Documents
import Foundation
import Hardware
import Testing
@testable import Simulator
@testable import Workload

/// The shell's input and output DMA engines as stages of a dataflow design
/// (FINN's `IODMA`): transfer sizes from the trace, cycles by FINN's width
/// rule, and the rate they set on a small network.
@Suite("FPGA dataflow I/O DMA")
struct DataflowTransferTests {
    static func tfc() throws -> (Trace, PrecisionPlan) {
        (try TraceReader.load(root.appendingPathComponent("workloads/finn/tfc.yaml").path),
         try PrecisionPlan.load(root.appendingPathComponent("workloads/plans/finn-tfc.yaml").path))
    }

    /// finn-examples' TFC-w1a1 folding (build/bnn-pynq/folding_config), fc0 … fc3.
    static let tfcFolding: [(pe: Int, simd: Int, style: MultiplierStyle?)] =
        [(16, 49, nil), (8, 8, nil), (8, 8, nil), (10, 8, nil)]

    @Test("cycles are bytes over gcd(bits, width) words, by hand")
    func widthRule() {
        // 784 UINT8 pixels = 6,272 bits; gcd(6272, 64) = 64: 98 words.
        #expect(DataflowTransfer.dmaCycles(bits: 6272, maxWidth: 64) == 98)
        // 784 binary pixels = 98 bytes = 784 bits; gcd(784, 64) = 16: 49 words of 16 bits.
        #expect(DataflowTransfer.dmaCycles(bits: 784, maxWidth: 64) == 49)
        // 10 bits are 2 bytes: one 16-bit word.
        #expect(DataflowTransfer.dmaCycles(bits: 10, maxWidth: 64) == 1)
        // CNV's 32 × 32 × 3 UINT8 image: 24,576 bits, 384 words.
        #expect(DataflowTransfer.dmaCycles(bits: 24576, maxWidth: 64) == 384)
        #expect(DataflowTransfer.dmaCycles(bits: 0, maxWidth: 64) == 0)
    }

    @Test("the transfer is the first op's input and the last op's output in the plan's formats")
    func transferSizes() throws {
        let (trace, plan) = try Self.tfc()
        let t = try DataflowTransfer(trace: trace, plan: plan)
        #expect(t.inputBits == 784 * 8)  // the binarizing threshold reads UINT8 pixels
        #expect(t.outputBits == 10)  // fc3's ten binary outputs
        #expect(throws: Diagnostic.self) { try DataflowTransfer(trace: Trace(name: "empty", ops: []), plan: plan) }
    }

    @Test("TFC at its published folding: the 64-bit input DMA (98 cycles) sets the rate, not fc0 (64)")
    func tfcIsDMABound() throws {
        let (trace, plan) = try Self.tfc()
        var planner = try DataflowPlanner(hardware: try device("xilinx-zcu104-finn.yaml"))
        let layers = try DataflowLayer.layers(of: trace, plan: plan)
        let bare = try planner.design(layers, foldings: Self.tfcFolding)
        // fc0: ⌈64/16⌉·⌈784/49⌉ = 64 cycles.
        #expect(bare.maxII == 64 && bare.bottleneck == "fc0" && bare.inputDMACycles == 0)
        planner.transfer = try DataflowTransfer(trace: trace, plan: plan)
        let d = try planner.design(layers, foldings: Self.tfcFolding)
        #expect(d.inputDMACycles == 98 && d.outputDMACycles == 1)
        #expect(d.maxII == 98 && d.maxUnitII == 64)
        #expect(d.bottleneck == "input DMA")
        #expect(d.inferencesPerSecond == 100e6 / 98)
        // Latency: the DMA stages plus the units' cycles.
        #expect(abs(d.latencySeconds - bare.latencySeconds - 99 / 100e6) < 1e-15)
        #expect(d.dmaBytesPerInference == 784 + 2)
    }

    @Test("a device without io_dma_bits has no DMA stage")
    func noDMAWithoutKey() throws {
        let (trace, plan) = try Self.tfc()
        var planner = try DataflowPlanner(hardware: try device("xilinx-zc706.yaml"))
        planner.transfer = try DataflowTransfer(trace: trace, plan: plan)
        let d = try planner.design(try DataflowLayer.layers(of: trace, plan: plan), foldings: Self.tfcFolding)
        #expect(d.inputDMACycles == 0 && d.outputDMACycles == 0 && d.maxII == 64)
    }

    @Test("the search does not fold below the DMA's cycles: same rate as without a floor, fewer LUTs")
    func searchStopsAtTheDMA() throws {
        let (trace, plan) = try Self.tfc()
        var planner = try DataflowPlanner(hardware: try device("xilinx-zcu104-finn.yaml"))
        let layers = try DataflowLayer.layers(of: trace, plan: plan)
        let unbounded = try planner.search(layers)
        planner.transfer = try DataflowTransfer(trace: trace, plan: plan)
        let d = try planner.search(layers)
        #expect(d.maxII == 98)
        #expect(d.maxUnitII <= 98)
        #expect(unbounded.maxII < 98)
        #expect(d.total.luts < unbounded.total.luts)
    }

    @Test("io_dma_bits must be a power of two")
    func widthMustBePowerOfTwo() throws {
        let text = try String(contentsOf: root.appendingPathComponent("hardware/xilinx-zcu104-finn.yaml"),
                              encoding: .utf8)
        #expect(text.contains("io_dma_bits: 64"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-iodma-\(getpid()).yaml")
        try text.replacingOccurrences(of: "io_dma_bits: 64", with: "io_dma_bits: 48")
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            _ = try HardwareLoader.load(file.path)
            Issue.record("a 48-bit DMA width loaded")
        } catch let d as Diagnostic {
            #expect(d.message.contains("power of two"))
            #expect(d.description.contains(":\(Self.line(of: "io_dma_bits", in: text)):"))
        }
    }

    static func line(of key: String, in text: String) -> Int {
        (text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(key + ":") } ?? -1) + 1
    }
}
