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
