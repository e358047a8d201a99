import Foundation
import Hardware
import Testing
@testable import Simulator
@testable import Workload

/// Tests that would have caught the three model bugs of the first round.
@Suite("Model fixes: VLIW slots, FPGA fill, fused utilisation")
struct ModelFixTests {
    @Test("a DSP's VLIW slots limit its MAC issue: one slot runs a GEMM 2.75× slower than four")
    func vliwSlots() throws {
        var hexagon = try device("hexagon-hvx-like.yaml")
        let four = try Simulator(hardware: hexagon, plan: try plan("int8")).run(gemm(256, 256, 256)).ops[0]
        var spec = try #require(hexagon.spec as? DSPFamily)
        spec.vliwSlots = 1
        hexagon.spec = spec
        let one = try Simulator(hardware: hexagon, plan: try plan("int8")).run(gemm(256, 256, 256)).ops[0]
        #expect(abs(one.computeCycles / four.computeCycles - DSPEngine.slotsPerVectorMAC) < 1e-9)
        spec.vliwSlots = 2
        hexagon.spec = spec
        let two = try Simulator(hardware: hexagon, plan: try plan("int8")).run(gemm(256, 256, 256)).ops[0]
        #expect(two.computeCycles > four.computeCycles && two.computeCycles < one.computeCycles)
    }

    @Test("an FPGA GEMM fills a log2 K-deep adder tree behind the DSP pipeline, not √K + 10 cycles")
    func fpgaFill() throws {
        let u250 = try device("xilinx-alveo-u250.yaml")
        for k in [64, 4096, 1 << 20] {
            let op = try Simulator(hardware: u250, plan: try plan("int8")).run(gemm(64, 64, k)).ops[0]
            let rate = try #require(u250.macsPerCycle("int8"))
            let fill = op.computeCycles - 64 * 64 * Double(k) / rate
            #expect(abs(fill - (Double(k.trailingZeroBitCount) + FPGAEngine.multiplierStages)) < 1e-6, "K = \(k)")
        }
    }

    @Test("an op fused into its neighbour's kernel reports the utilisation of its fused time")
    func fusedUtilisation() throws {
        let h100 = try device("nvidia-h100-sxm5.yaml")
        let attention = [
            Op(name: "qk", kind: .attentionQK, dims: ["heads": 32, "seq_q": 1, "seq_kv": 2048, "head_dim": 128]),
            Op(name: "softmax", kind: .softmax, dims: ["rows": 32, "columns": 2048]),
            Op(name: "pv", kind: .attentionPV, dims: ["heads": 32, "seq_q": 1, "seq_kv": 2048, "head_dim": 128]),
        ]
        let r = try Simulator(hardware: h100, plan: try plan("bf16")).run(Trace(name: "attention", ops: attention))
        let pv = r.ops[2]
        #expect(r.mapping(of: pv) == "fused")
        let peak = try #require(h100.macsPerCycle("bf16")) * h100.clockHertz
        #expect(abs(pv.utilization - min(1, pv.macs / (peak * pv.seconds))) < 1e-12)
    }
}
