import Foundation
import Hardware
import Testing
@testable import Simulator
@testable import Workload

/// Dequantising widens, it never rounds: an fp8 op on an int8-only array cannot run, an int4 one runs in int8.
@Suite("A device dequantises only into a format that holds every value")
struct DequantiseWideningTests {
    @Test("fp8 on the TPU-v1-like array is not run (int8 would round it); int4 runs dequantised to int8")
    func tpu() throws {
        let tpu = try HardwareLoader.load(root.appendingPathComponent("hardware/tpu-v1-like.yaml").path)
        let trace = gemm(256, 256, 256)
        let fp8 = try PrecisionPlan.load("fp8")
        #expect(throws: (any Error).self) { try Simulator(hardware: tpu, plan: fp8).run(trace) }
        let int4 = try Simulator(hardware: tpu, plan: try PrecisionPlan.load("int4")).run(trace)
        #expect(int4.ops[0].dequantized && int4.ops[0].computeFormat.name == "int8")
    }
}
