import Formats
import Hardware
import Testing
@testable import Simulator
@testable import Workload

@Suite("Causal attention: a GPU's fused kernel skips masked blocks, other devices run the rectangle")
struct CausalAttentionRunTests {
    func layer(q: Int, kv: Int, causal: Bool, batch: Int = 1, heads: Int = 32) -> Trace {
        let dims = ["batch": batch, "heads": heads, "seq_q": q, "seq_kv": kv, "head_dim": 128, "causal": causal ? 1 : 0]
        return Trace(name: "attention", ops: [
            Op(name: "qk", kind: .attentionQK, dims: dims),
            Op(name: "softmax", kind: .softmax, dims: ["rows": batch * heads * q, "columns": kv]),
            Op(name: "pv", kind: .attentionPV, dims: dims),
        ])
    }

    /// Every product in int8, attention too (a TPU-like array has no fp16 MACs; the built-in int8 plan
    /// keeps attention in fp16).
    func int8Everywhere() -> PrecisionPlan {
        var p = PrecisionPlan.named["int8"]!
        p.overrides = []
        return p
    }

    @Test("mask blocks equal a count of the position-aligned key blocks holding a visible score",
          arguments: [(2048, 2048, 128, 256), (2048, 2048, 128, 64), (100, 300, 64, 128), (4096, 1024, 128, 128),
                      (1, 4096, 64, 128), (257, 257, 128, 128), (4096, 128, 128, 128), (1000, 300, 64, 128)])
    func blocks(q: Int, kv: Int, rowTile: Int, keyTile: Int) {
        let a = AttentionShape(heads: 1, seqQ: q, seqKV: kv, headDim: 1, batch: 1, kvHeads: 1, kvShared: false,
                               causal: true)
        let mask = CausalMask(a, keysOn: .n)
        // The sequence's positions: q queries at its end (or all of it, a window's prefill); the keys before.
        let length = max(q, kv), firstQuery = length - q
        var tiles = 0, longest = 0
        for rowBlock in stride(from: 0, to: q, by: rowTile) {
            var touched = 0
            for keyBlock in stride(from: 0, to: length, by: keyTile) {
                // Any query of the row block seeing a key of the block: at or before it, within kv of it.
                let visible = (rowBlock..<min(rowBlock + rowTile, q)).contains { r in
                    let p = firstQuery + r
                    return (keyBlock..<min(keyBlock + keyTile, length)).contains { $0 <= p && $0 > p - kv }
                }
                if visible { touched += 1 }
            }
            tiles += touched
            longest = max(longest, touched)
        }
        #expect(mask.blocks(rowTile: rowTile, keyTile: keyTile) == tiles)
        #expect(mask.longestRowBlock(rowTile: rowTile, keyTile: keyTile) == longest)
    }

    @Test("H100: a causal 2048-token prefill layer runs its attention in 50–62% of the dense time")
    func gpuPrefill() throws {
        let sim = try Simulator(hardware: device("nvidia-h100-sxm5.yaml"), plan: plan("bf16"))
        let dense = try sim.run(layer(q: 2048, kv: 2048, causal: false))
        let causal = try sim.run(layer(q: 2048, kv: 2048, causal: true))
        for i in [0, 2] {
            let ratio = causal.ops[i].seconds / dense.ops[i].seconds
            // At least the visible share (2049/4096), at most the tile share plus the fixed costs.
            #expect(ratio > 0.5 && ratio < 0.62, "\(causal.ops[i].name): \(ratio)")
            #expect(causal.ops[i].macs / dense.ops[i].macs == 2049.0 / 4096)
            #expect(causal.ops[i].energy.compute < dense.ops[i].energy.compute * 0.51)
        }
        // The fused softmax works on the visible scores only.
        #expect(abs(causal.ops[1].seconds / dense.ops[1].seconds - 2049.0 / 4096) < 0.01)
        #expect(!causal.notes.contains { $0.contains("causal") })
    }

    @Test("H100, one head: PV's CTAs fit one wave, so the last row block, which reads every key, sets its time")
    func oneWave() throws {
        let sim = try Simulator(hardware: device("nvidia-h100-sxm5.yaml"), plan: plan("bf16"))
        let dense = try sim.run(layer(q: 2048, kv: 2048, causal: false, heads: 1))
        let causal = try sim.run(layer(q: 2048, kv: 2048, causal: true, heads: 1))
        #expect(causal.ops[2].seconds > 0.95 * dense.ops[2].seconds)
        // QKᵀ's tiles are CTAs of their own: fewer of them, all in the one wave, take the same time.
        #expect(causal.ops[0].seconds <= dense.ops[0].seconds)
    }

    @Test("a position bias between QKᵀ and softmax is fused on chip: a bias tensor is read, masked scores skipped")
    func positionBias() throws {
        let sim = try Simulator(hardware: device("nvidia-h100-sxm5.yaml"), plan: plan("bf16"))
        func run(causal: Bool, operands: Int) throws -> SimulationResult {
            var ops = layer(q: 1024, kv: 1024, causal: causal, heads: 8).ops
            ops.insert(Op(name: "bias", kind: .elementwise,
                          dims: ["elements": 8 * 1024 * 1024, "operands": operands, "flops": 1]), at: 1)
            return try sim.run(Trace(name: "biased", ops: ops))
        }
        // T5's relative bias reads its bias tensor (bf16, one per score); ALiBi computes its bias in the kernel.
        let t5 = try run(causal: false, operands: 2), alibi = try run(causal: true, operands: 1)
        #expect(t5.ops[1].offChipBytes == Double(8 * 1024 * 1024 * 2))
        #expect(alibi.ops[1].offChipBytes == 0)
        for r in [t5, alibi] { #expect(r.ops[2].offChipBytes == 0 && r.ops[2].mapping == .fused) }
        // The causal chain's bias and softmax work on the visible scores only (1025 of every 2048).
        let dense = try run(causal: false, operands: 1)
        for i in [1, 2] {
            #expect(abs(alibi.ops[i].energy.compute / dense.ops[i].energy.compute - 1025.0 / 2048) < 1e-9)
        }
        // An elementwise op of another size after QKᵀ breaks the chain: the softmax reads its scores.
        var ops = layer(q: 1024, kv: 1024, causal: false, heads: 8).ops
        ops.insert(Op(name: "other", kind: .elementwise, dims: ["elements": 4096]), at: 1)
        let broken = try sim.run(Trace(name: "broken", ops: ops))
        #expect(broken.ops[2].offChipBytes > 0)
    }

    @Test("a decode step's mask hides nothing: the causal step is the dense step, figure for figure")
    func decode() throws {
        for file in ["nvidia-h100-sxm5.yaml", "tpu-v1-like.yaml"] {
            let plan = file.hasPrefix("tpu") ? int8Everywhere() : try plan("bf16")
            let sim = try Simulator(hardware: device(file), plan: plan)
            let causal = try sim.run(layer(q: 1, kv: 4096, causal: true, batch: 8))
            let dense = try sim.run(layer(q: 1, kv: 4096, causal: false, batch: 8))
            #expect(causal.seconds == dense.seconds && causal.energy == dense.energy, "\(file)")
            #expect(causal.notes == dense.notes)
        }
    }

    @Test("a systolic array runs the whole rectangle: dense time and MAC energy, visible MACs, and a note")
    func systolic() throws {
        let sim = try Simulator(hardware: device("tpu-v1-like.yaml"), plan: int8Everywhere())
        let dense = try sim.run(layer(q: 512, kv: 512, causal: false, heads: 8))
        let causal = try sim.run(layer(q: 512, kv: 512, causal: true, heads: 8))
        for i in [0, 2] {
            // The rectangle's time, MACs' energy and score traffic (the softmax between reads it all).
            #expect(causal.ops[i].seconds == dense.ops[i].seconds)
            #expect(causal.ops[i].energy == dense.ops[i].energy)
            #expect(causal.ops[i].offChipBytes == dense.ops[i].offChipBytes)
            #expect(causal.ops[i].macs / dense.ops[i].macs == 513.0 / 1024)
            #expect(causal.ops[i].utilization < dense.ops[i].utilization * 0.51)
        }
        let note = try #require(causal.notes.first { $0.contains("causal") })
        #expect(note.hasPrefix("2 causal attention products run their whole score rectangle"))
    }
}
