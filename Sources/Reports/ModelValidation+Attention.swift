import Hardware
import Simulator
import Workload

/// The fused-attention rows: FlashAttention-3's forward pass on an H100 against the GPU model's
/// QKᵀ, softmax and PV (one fused kernel, masked blocks skipped), held out.
extension ModelValidation {
    static let attentionTitle = "Fused attention — held out (FlashAttention-3 forward, BF16, H100; nothing fitted)"

    static let attentionNote = "Each row simulates QKᵀ, softmax and PV at the benchmark's sizes (16 heads of 128, "
        + "batch × seq = 16k) as one fused kernel, and converts its time to TFLOP/s with the benchmark's count "
        + "(4 · batch · heads · seq² · 128, halved under the causal mask). The attention path has no constant "
        + "of its own: the products run at the file's GEMM efficiency on its tiles, the softmax on the CUDA "
        + "cores after them (FlashAttention-3 overlaps the two), the mask's blocks counted per tile. The stored "
        + "copies of the paper's Fig. 5 are its bar labels without the panel captions; the panel taken as causal "
        + "is the one where every method is slower and standard attention 3–4× slower."

    static func attentionSection(only: Set<String>?,
                                 device: (String) throws -> HardwareModel) throws -> (String, [Row]) {
        let rows = try AttentionMeasurements.heldOut.filter { only?.contains($0.file) ?? true }.map { p in
            Row(quantity: "\(p.device) \(p.plan) attention, seq \(p.seq) × batch \(p.batch)"
                    + (p.causal ? ", causal" : ""),
                published: p.tflops, lpsim: try simulatedAttentionTFLOPS(p, device: device), unit: "TFLOP/s",
                tolerance: 0.25, absolute: false, source: p.source, note: "held out", basis: .heldOut, device: p.file)
        }
        return (attentionTitle, rows)
    }

    /// The benchmark's FLOPs over the simulated time of one fused attention (one launch).
    static func simulatedAttentionTFLOPS(_ p: AttentionMeasurements.Point,
                                         device: (String) throws -> HardwareModel) throws -> Double {
        let dims = ["batch": p.batch, "heads": p.heads, "seq_q": p.seq, "seq_kv": p.seq, "head_dim": p.headDim,
                    "causal": p.causal ? 1 : 0]
        let trace = Trace(name: "attention", ops: [
            Op(name: "qk", kind: .attentionQK, dims: dims),
            Op(name: "softmax", kind: .softmax, dims: ["rows": p.batch * p.heads * p.seq, "columns": p.seq]),
            Op(name: "pv", kind: .attentionPV, dims: dims),
        ])
        let r = try Simulator(hardware: try device(p.file), plan: try PrecisionPlan.load(p.plan)).run(trace)
        return p.flops / r.seconds / 1e12
    }
}
