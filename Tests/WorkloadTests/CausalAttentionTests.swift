import Documents
import Foundation
import Testing
@testable import Workload

@Suite("Causal attention: visible query–key pairs, the key in traces, the generators")
struct CausalAttentionTests {
    func attention(_ kind: OpKind = .attentionQK, q: Int, kv: Int, causal: Bool = true, heads: Int = 4,
                   batch: Int = 2, headDim: Int = 8) -> Op {
        Op(name: "a", kind: kind, dims: ["heads": heads, "seq_q": q, "seq_kv": kv, "head_dim": headDim,
                                         "batch": batch, "causal": causal ? 1 : 0])
    }

    /// Counts by walking the score matrix: query i is position kv − q + i of the sequence when the
    /// keys outnumber the queries, else position i of a window of kv keys; it sees the keys at or
    /// before it that the window holds.
    func walkedPairs(q: Int, kv: Int) -> Int64 {
        var pairs: Int64 = 0
        for i in 0..<q {
            let position = kv >= q ? kv - q + i : i
            for key in 0..<kv {
                // Key j of a window ending at query i (q > kv) is position i − (kv − 1) + j.
                let keyPosition = kv >= q ? key : i - (kv - 1) + key
                if keyPosition >= 0 && keyPosition <= position { pairs += 1 }
            }
        }
        return pairs
    }

    @Test("visible pairs equal a walk of the mask: prefill, chunked prefill, decode, sliding window",
          arguments: [(1, 1), (1, 9), (7, 7), (16, 16), (3, 10), (12, 5), (33, 8), (64, 64), (1, 2048)])
    func pairs(q: Int, kv: Int) throws {
        let shape = AttentionShape(heads: 1, seqQ: q, seqKV: kv, headDim: 1, batch: 1, kvHeads: 1, kvShared: false,
                                   causal: true)
        #expect(try shape.visiblePairs() == walkedPairs(q: q, kv: kv))
        #expect((0..<q).reduce(Int64(0)) { $0 + Int64(shape.visibleKeys(query: $1)) } == walkedPairs(q: q, kv: kv))
        var dense = shape
        dense.causal = false
        #expect(try dense.visiblePairs() == Int64(q * kv))
    }

    @Test("a causal op's MACs and scores count the visible pairs; its K/V cache and queries are whole")
    func counts() throws {
        let causal = try attention(q: 2048, kv: 2048).counts()
        let dense = try attention(q: 2048, kv: 2048, causal: false).counts()
        // 2048 · 2049 / 2 visible pairs of 2048² per head.
        #expect(causal.macs == 2 * 4 * 2048 * 2049 / 2 * 8)
        #expect(causal.outputElements == 2 * 4 * 2048 * 2049 / 2)
        #expect(causal.weightElements == dense.weightElements)
        #expect(causal.inputElements == dense.inputElements)
        let pv = try attention(.attentionPV, q: 2048, kv: 2048).counts()
        #expect(pv.inputElements == causal.outputElements && pv.macs == causal.macs)
        // The accumulation length: PV's last query sums every key; QKᵀ sums head_dim products.
        #expect(attention(.attentionPV, q: 2048, kv: 2048).reductionLength == 2048)
        #expect(attention(.attentionPV, q: 100, kv: 40).reductionLength == 40)
        #expect(attention(q: 2048, kv: 2048).reductionLength == 8)
        // A decode step's one query sees every key: the mask hides nothing.
        #expect(try attention(q: 1, kv: 4096).counts() == attention(q: 1, kv: 4096, causal: false).counts())
    }

    func write(_ text: String, _ ext: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("causal-\(UUID().uuidString).\(ext)")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test("causal is a flag of attention ops in YAML and JSON Lines: 0 or 1, written back when set")
    func key() throws {
        let yaml = try write("""
            name: t
            ops:
              - {kind: attention_qk, heads: 2, seq_q: 8, seq_kv: 8, head_dim: 4, causal: 1}
            """, "yaml")
        let op = try #require(try TraceReader.load(yaml).ops.first)
        #expect(op.shape[.causal] == 1)
        #expect(TraceWriter.fields(op).contains { $0 == ("causal", "1") })
        let jsonl = try write("""
            {"lpsim_trace": 1, "name": "t"}
            {"kind": "attention_pv", "heads": 2, "seq_q": 8, "seq_kv": 8, "head_dim": 4, "causal": 1}
            """, "jsonl")
        #expect(try TraceReader.load(jsonl).ops.first?.shape[.causal] == 1)
        // The fast JSON Lines path takes the flag itself (it falls back to the general reader otherwise).
        let line = Array(#"{"kind": "attention_qk", "heads": 2, "seq_q": 8, "seq_kv": 8, "head_dim": 4, "causal": 1}"#
            .utf8)
        var fast: Op?
        let words = FastJSONOp.Words(), names = FastJSONOp.FormatNames()
        let taken = line.withUnsafeBufferPointer {
            FastJSONOp.parse($0, index: 0, words: words, formatNames: names) { fast = $0 }
        }
        #expect(taken && fast?.shape[.causal] == 1)
        for (text, message) in [
            ("{kind: attention_qk, heads: 2, seq_q: 8, seq_kv: 8, head_dim: 4, causal: 2}", "must be 0 or 1, got 2"),
            ("{kind: gemm, m: 4, n: 4, k: 4, causal: 1}", "unknown key 'causal' for a gemm op"),
            ("{kind: gemm, m: 4, n: 4, k: 4, bias: 3}", "must be 0 or 1, got 3"),
        ] {
            let file = try write("name: t\nops:\n  - \(text)\n", "yaml")
            let error = #expect(throws: Diagnostic.self) { try TraceReader.load(file) }
            #expect(error?.description.contains(message) == true, "\(text): \(error?.description ?? "")")
            #expect(error?.description.hasPrefix(file + ":3:") == true)
        }
        let badLine = try write("{\"lpsim_trace\": 1, \"name\": \"t\"}\n"
                                + String(decoding: line, as: UTF8.self).replacingOccurrences(of: ": 1}", with: ": 5}")
                                + "\n", "jsonl")
        let error = #expect(throws: Diagnostic.self) { try TraceReader.load(badLine) }
        #expect(error?.description.contains("must be 0 or 1, got 5") == true)
    }

    func generated(_ config: String, _ phase: TransformerGenerator.Phase, length: Int = 64) throws -> Trace {
        let c = try TransformerConfig.load(path("workloads/configs/\(config)/config.json"))
        return try TransformerGenerator(config: c, phase: phase, batch: 1, length: length).trace()
    }

    func attentionOps(_ trace: Trace) -> [Op] { trace.ops.filter(\.kind.readsKVCache) }

    @Test("decoders' self-attention is causal; an encoder's, and T5's encoder and cross-attention, are not")
    func generators() throws {
        for phase in [TransformerGenerator.Phase.prefill, .decode] {
            let llama = attentionOps(try generated("llama-2-7b", phase))
            #expect(!llama.isEmpty && llama.allSatisfy { $0.shape[.causal] == 1 }, "llama \(phase)")
        }
        let bert = attentionOps(try generated("bert-base-uncased", .prefill))
        #expect(!bert.isEmpty && bert.allSatisfy { $0.shape[.causal] == 0 })
        let t5 = try generated("t5-small", .prefill)
        for op in attentionOps(t5) {
            #expect((op.shape[.causal] == 1) == op.name.hasPrefix("decoder.layers.attn."), "\(op.name)")
        }
        #expect(attentionOps(t5).contains { $0.shape[.causal] == 1 })
    }
}
