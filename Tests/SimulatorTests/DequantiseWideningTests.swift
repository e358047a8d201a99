import Foundation
import Formats
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

    @Test("bf16 activations beside int8 weights are not narrowed onto an int8-only array; W4A16 still widens")
    func narrowerOperand() throws {
        let tpu = try HardwareLoader.load(root.appendingPathComponent("hardware/tpu-v1-like.yaml").path)
        var op = Op(name: "fc", kind: .gemm, dims: ["m": 1, "n": 10, "k": 64])
        op.formats[.weight] = try FormatCatalog.format(named: "int8")
        let trace = Trace(name: "t", ops: [op])
        let bf16 = try PrecisionPlan.load("bf16")
        #expect(throws: (any Error).self) { try Simulator(hardware: tpu, plan: bf16).run(trace) }
        let h100 = try HardwareLoader.load(root.appendingPathComponent("hardware/nvidia-h100-sxm5.yaml").path)
        let w4a16 = try Simulator(hardware: h100, plan: try PrecisionPlan.load("w4a16")).run(gemm(256, 256, 256))
        #expect(w4a16.ops[0].dequantized && w4a16.ops[0].computeFormat.name == "fp16")
    }
}
