import Documents
import Foundation
import Hardware
import Testing
@testable import Simulator
@testable import Workload

/// The GPU's latency model, fused attention, CUDA-core lanes and dequantised
/// plans, each checked against a published figure or a property that must
/// hold whatever the constants (monotonicity, bounds, what an op's traffic is).
@Suite("GPU latency model, fused attention, CUDA cores, dequantised plans")
struct GPULatencyTests {
    /// Seconds of one bf16 GEMM.
    func seconds(_ gpu: HardwareModel, _ m: Int, _ n: Int, _ k: Int, _ planName: String = "bf16") throws -> Double {
        try Simulator(hardware: gpu, plan: try plan(planName)).run(gemm(m, n, k)).seconds
    }

    @Test("256³ bf16 on H100 is no faster than XLA's profile of it allows (5.2 µs, within 25%)")
    func smallGEMMFloor() throws {
        // openxla/xla matmul_interpolator_data.h, sm_90: 256×256×256 bf16 at 6.45e12 FLOP/s.
        let measured = 2.0 * 256 * 256 * 256 / 6_452_775_384_615
        let t = try seconds(try device("nvidia-h100-sxm5.yaml"), 256, 256, 256)
        #expect(t >= measured * 0.75, "\(t * 1e6) µs against \(measured * 1e6) µs measured")
        #expect(t <= measured * 1.25)
    }

    @Test("square bf16 GEMMs: throughput rises with size (dips of wave quantisation aside) to 70–85% of peak",
          arguments: ["nvidia-a100-sxm4-80gb.yaml", "nvidia-h100-sxm5.yaml", "nvidia-b200.yaml"])
    func squareCurve(file: String) throws {
        let gpu = try device(file)
        let peak = try #require(gpu.peakOpsPerSecond("bf16"))
        var best = 0.0
        for side in stride(from: 128, through: 8192, by: 128) {
            let rate = 2 * pow(Double(side), 3) / (try seconds(gpu, side, side, side)) / peak
            #expect(rate >= best * 0.8, "\(side)³: \(rate) after \(best)")   // a dip, not a fall
            best = max(best, rate)
        }
        #expect(best >= 0.70 && best <= 0.85, "plateau \(best)")
        #expect(2 * pow(256.0, 3) / (try seconds(gpu, 256, 256, 256)) / peak < 0.05, "256³ is latency-bound")
    }

    @Test("more pipeline stages, shorter latencies and a lower kernel floor never slow a GEMM; each bites somewhere")
    func latencyKnobs() throws {
        // One stage in flight and no kernel floor, so that load latency shows in the mainloop (four
        // stages hide it on H100's tiles, and the 5.2 µs floor covers every kernel that short).
        let shipped = try device("nvidia-h100-sxm5.yaml")
        var base = shipped, single = try #require(base.spec as? GPUFamily)
        single.latency.pipelineStages = 1
        single.latency.minKernelSeconds = 0
        base.spec = single
        let shapes = [(1, 4096, 4096), (16, 4096, 4096), (64, 64, 4096), (256, 256, 256), (1024, 1024, 1024),
                      (4096, 4096, 256), (8192, 8192, 8192)]
        let edits: [(String, (inout GPULatency) -> Void)] = [
            ("stages", { $0.pipelineStages *= 2 }), ("l2", { $0.l2Seconds /= 2 }),
            ("memory", { $0.memorySeconds /= 2 }), ("floor", { $0.minKernelSeconds /= 2 }),
        ]
        for (name, edit) in edits {
            let base = name == "floor" ? shipped : base
            var gpu = base, spec = try #require(base.spec as? GPUFamily)
            edit(&spec.latency)
            gpu.spec = spec
            var faster = false
            for (m, n, k) in shapes {
                let (before, after) = (try seconds(base, m, n, k), try seconds(gpu, m, n, k))
                #expect(after <= before * (1 + 1e-12), "\(name) slowed \(m)×\(n)×\(k)")
                if after < before * 0.99 { faster = true }
            }
            #expect(faster, "\(name) changes nothing on these shapes")
        }
    }

    @Test("Llama-2-7B 2048-token bf16 prefill: ≥ 90% of GEMM time compute-bound, MFU 45–85%",
          arguments: ["nvidia-h100-sxm5.yaml", "nvidia-b200.yaml"])
    func prefill(file: String) throws {
        let gpu = try device(file)
        let r = try Simulator(hardware: gpu, plan: try plan("bf16")).run(try workload("llama-2-7b-prefill-2048.yaml"))
        let gemms = r.ops.filter { $0.kind == .gemm }
        let compute = gemms.filter { $0.bound == .compute }.reduce(0) { $0 + $1.seconds }
        let total = gemms.reduce(0) { $0 + $1.seconds }
        #expect(compute / total >= 0.9, "\(compute / total) of GEMM time compute-bound")
        let mfu = 2 * r.macs / r.seconds / (try #require(gpu.peakOpsPerSecond("bf16")))
        #expect(mfu >= 0.45 && mfu <= 0.85, "MFU \(mfu)")
    }

    @Test("fused attention: the scores never reach HBM; softmax after QKᵀ moves no off-chip bytes")
    func fusedAttention() throws {
        let trace = try workload("llama-2-7b-prefill-2048.yaml")
        let r = try Simulator(hardware: try device("nvidia-h100-sxm5.yaml"), plan: try plan("bf16")).run(trace)
        for (op, result) in zip(trace.ops, r.ops) where op.kind == .attentionQK || op.kind == .softmax {
            let scores = Double(try op.counts().outputElements) * 2 * Double(op.repeatCount)
            if op.kind == .softmax { #expect(result.offChipBytes == 0, "\(op.name)") }
            else { #expect(result.offChipBytes < scores / 4, "\(op.name): \(result.offChipBytes) B vs scores \(scores) B") }
        }
        // The same trace on a family that does not fuse writes and reads them.
        let array = try Simulator(hardware: try device("lmul-systolic-32x32.yaml"), plan: try plan("bf16")).run(trace)
        let softmax = try #require(array.ops.first { $0.kind == .softmax })
        #expect(softmax.offChipBytes > 0)
    }

    @Test("decode attention is memory-bound on the KV cache (bytes within 10% of the cache)")
    func decodeAttention() throws {
        let trace = try workload("llama-2-7b-decode-2048.yaml")
        let r = try Simulator(hardware: try device("nvidia-h100-sxm5.yaml"), plan: try plan("bf16")).run(trace)
        for (op, result) in zip(trace.ops, r.ops) where op.kind == .attentionQK || op.kind == .attentionPV {
            #expect(result.bound == .memory, "\(op.name)")
            let cache = Double(try op.counts().weightElements) * 2 * Double(op.repeatCount)
            #expect(abs(result.offChipBytes / cache - 1) <= 0.10, "\(op.name): \(result.offChipBytes) vs \(cache)")
        }
    }

    @Test("non-tensor ops run on the CUDA-core lanes of their format (FP32 for softmax, INT32 for integers)")
    func cudaCores() throws {
        let base = try device("nvidia-h100-sxm5.yaml")
        // Compute-bound vector work: 64 operations per element.
        let op = Op(name: "act", kind: .elementwise, dims: ["elements": 1 << 24, "operands": 1, "flops": 64])
        let softmax = Op(name: "softmax", kind: .softmax, dims: ["rows": 4096, "columns": 4096])
        func time(_ gpu: HardwareModel, _ op: Op, _ planName: String) throws -> Double {
            try Simulator(hardware: gpu, plan: try plan(planName)).run(Trace(name: "v", ops: [op])).ops[0].computeCycles
        }
        var spec = try #require(base.spec as? GPUFamily)
        spec.cudaCoreLanes = spec.cudaCoreLanes.map { FormatRate(format: $0.format, macs: $0.format == "fp16" ? $0.macs / 4 : $0.macs) }
        var slowFP16 = base
        slowFP16.spec = spec
        #expect(abs(try time(slowFP16, op, "bf16") / (try time(base, op, "bf16")) - 4) < 1e-9)
        #expect(try time(slowFP16, op, "int8") == (try time(base, op, "int8")), "int8 runs on INT32 lanes")
        #expect(try time(slowFP16, softmax, "bf16") == (try time(base, softmax, "bf16")), "softmax reduces in FP32")
        // A100 has half the H100's FP32 lanes per SM (64 against 128).
        let a100 = try device("nvidia-a100-sxm4-80gb.yaml")
        let perSM = { (gpu: HardwareModel) throws -> Double in
            try time(gpu, softmax, "bf16") * Double(try #require(gpu.spec as? GPUFamily).streamingMultiprocessors)
        }
        #expect(abs(try perSM(a100) / (try perSM(base)) - 2) < 1e-9)
    }

    @Test("a plan a device cannot execute runs dequantised and says so; native: true refuses, naming each format once")
    func dequantised() throws {
        let h100 = try device("nvidia-h100-sxm5.yaml")
        let r = try Simulator(hardware: h100, plan: try plan("int4")).run(gemm(1, 4096, 4096))
        #expect(r.ops[0].dequantized && r.ops[0].computeFormat == "bf16")
        #expect(r.notes.contains { $0.contains("int4 → bf16") })
        // Four times fewer weight bytes than bf16 still move off chip.
        let bf16 = try Simulator(hardware: h100, plan: try plan("bf16")).run(gemm(1, 4096, 4096))
        #expect(r.offChipBytes < bf16.offChipBytes / 3)
        // A100 has INT4 tensor cores: native, not marked.
        let a100 = try Simulator(hardware: try device("nvidia-a100-sxm4-80gb.yaml"), plan: try plan("int4")).run(gemm(1, 4096, 4096))
        #expect(!a100.ops[0].dequantized && a100.ops[0].computeFormat == "int4")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("native-\(UUID()).yaml")
        try "name: int4-native\nnative: true\ndefault: {weight: int4, input: int4, output: int8}\n"
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            _ = try Simulator(hardware: h100, plan: try PrecisionPlan.load(file.path)).run(gemm(1, 4096, 4096))
            Issue.record("a native int4 plan ran on H100")
        } catch let d as Diagnostic {
            #expect(d.message.contains("in int4 (precision plan"), "\(d.message)")
            #expect(!d.message.contains("int4 or int4"))
        }
    }

    @Test("a device without sustained_fraction says which default it uses; GDDR levels are off-chip")
    func warningsAndKinds() throws {
        // The shipped T4 is calibrated; a copy without its sustained_fraction line has none.
        let t4 = try device("nvidia-t4.yaml")
        #expect(t4.warnings.isEmpty, "\(t4.warnings)")
        let text = try String(contentsOf: root.appendingPathComponent("hardware/nvidia-t4.yaml"), encoding: .utf8)
        let stripped = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  sustained_fraction:") }.joined(separator: "\n")
        #expect(stripped != text)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("t4-\(UUID()).yaml")
        try stripped.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let bare = try HardwareLoader.load(file.path)
        #expect(bare.warnings.contains { $0.contains("sustained_fraction") && $0.contains("1.0") && $0.contains("warning:") })
        #expect(t4.offChip?.kind == .gddr6)
        #expect(try device("nvidia-rtx-4090.yaml").offChip?.kind == .gddr6x)
        #expect(try device("nvidia-h100-sxm5.yaml").warnings.isEmpty)
    }

    @Test("FP8 GEMMs on H100 take the FP8 tile list (128-deep K)")
    func formatTiles() throws {
        let r = try Simulator(hardware: try device("nvidia-h100-sxm5.yaml"), plan: try plan("fp8")).run(gemm(8192, 8192, 8192))
        #expect(r.mapping(of: r.ops[0]).hasSuffix("x128"), "\(r.mapping(of: r.ops[0]))")
        let b = try Simulator(hardware: try device("nvidia-h100-sxm5.yaml"), plan: try plan("bf16")).run(gemm(8192, 8192, 8192))
        #expect(b.mapping(of: b.ops[0]).hasSuffix("x64"))
    }
}
