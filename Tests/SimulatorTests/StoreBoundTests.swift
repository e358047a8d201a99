import Foundation
import Hardware
import Testing
import Workload

@testable import Simulator

/// What bounds a GPU GEMM whose tiles spend longer writing their output back than in their mainloop
/// (`GPUEngine.matrix`): the store is a memory cost, so a K = 1 outer product is memory-bound, not
/// "compute-bound at 0.2% utilisation"; the time itself does not depend on the label.
@Suite("GPU GEMMs bound by their output store are memory-bound")
struct StoreBoundTests {
    static func op(_ m: Int, _ n: Int, _ k: Int) -> Op { Op(name: "g", kind: .gemm, dims: ["m": m, "n": n, "k": k]) }

    @Test("K = 1 and K = 8 outer products on H100 and A100 are memory-bound; at K = 4096 compute-bound",
          arguments: ["nvidia-h100-sxm5.yaml", "nvidia-a100-sxm4-80gb.yaml"])
    func outerProducts(_ file: String) throws {
        let gpu = try device(file)
        let sim = try Simulator(hardware: gpu, plan: try PrecisionPlan.load("bf16"))
        for k in [1, 8] {
            let r = try sim.run(Trace(name: "k", ops: [Self.op(4096, 4096, k)])).ops[0]
            #expect(r.bound == .memory && r.utilization < 0.05, "K = \(k): \(r.bound), \(r.utilization)")
            #expect(abs(r.computeCycles + r.stallCycles - r.cycles) <= 1e-6 * r.cycles)
        }
        let deep = try sim.run(Trace(name: "k", ops: [Self.op(4096, 4096, 4096)])).ops[0]
        #expect(deep.bound == .compute && deep.stallCycles < 0.1 * deep.cycles, "\(deep.bound) \(deep.stallCycles)")
    }
}

/// `Bound.latency`: an op neither whose arithmetic nor whose traffic accounts for half its time.
@Suite("GPU ops set by fixed latencies are latency-bound")
struct LatencyBoundTests {
    @Test("the rule: the larger throughput term under half the time is latency; else the larger term")
    func rule() {
        #expect(Bound(computeCycles: 4, memoryCycles: 3, totalCycles: 10) == .latency)
        #expect(Bound(computeCycles: 5, memoryCycles: 3, totalCycles: 10) == .compute)
        #expect(Bound(computeCycles: 1, memoryCycles: 6, totalCycles: 10) == .memory)
        #expect(Bound(computeCycles: 6, memoryCycles: 6, totalCycles: 10) == .compute, "a tie goes to compute")
    }

    /// A router GEMM (1×8×4096) and 256³ sit on the shortest kernel; a decode GEMV streams its weight.
    @Test("on H100: tiny GEMMs are latency-bound, a decode GEMV memory-bound, 8192³ compute-bound")
    func h100() throws {
        let sim = try Simulator(hardware: try device("nvidia-h100-sxm5.yaml"), plan: try PrecisionPlan.load("bf16"))
        func bound(_ m: Int, _ n: Int, _ k: Int) throws -> Bound {
            try sim.run(Trace(name: "g", ops: [StoreBoundTests.op(m, n, k)])).ops[0].bound
        }
        #expect(try bound(1, 8, 4096) == .latency)
        #expect(try bound(256, 256, 256) == .latency)
        #expect(try bound(1, 11008, 4096) == .memory)
        #expect(try bound(8192, 8192, 8192) == .compute)
    }
}
