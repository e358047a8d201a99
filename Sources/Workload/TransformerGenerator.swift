/// Generates the op trace of a transformer's forward pass.
///
/// - prefill: `batch` sequences of `prompt` tokens; the LM head runs on the
///   last token of each sequence only (what an inference server needs);
/// - decode: one new token per sequence at `position` (0-based), attending
///   to `position + 1` keys, reading the whole KV cache and appending to it.
/// Attention is unfused (QKᵀ, softmax, PV) so that its memory traffic is
/// visible; each layer's ops carry `repeat = layers`.
public struct TransformerGenerator: Sendable {
    public enum Phase: String, Sendable, CaseIterable { case prefill, decode }

    public var config: TransformerConfig
    public var phase: Phase
    public var batch: Int
    /// Prompt length (prefill) or the new token's position (decode).
    public var length: Int

    public init(config: TransformerConfig, phase: Phase, batch: Int, length: Int) {
        self.config = config
        self.phase = phase
        self.batch = batch
        self.length = length
    }

    public func trace(command: String? = nil) -> Trace {
        let c = config
        let seqQ = phase == .prefill ? length : 1
        let seqKV = phase == .prefill ? length : length + 1
        let tokens = batch * seqQ
        let layers = c.layers
        let biased = c.architecture != .llama
        let affine = c.architecture == .llama ? 1 : 2
        var ops: [Op] = []
        func add(_ name: String, _ kind: OpKind, _ dims: [String: Int], repeated: Bool = true) {
            ops.append(Op(name: name, kind: kind, dims: dims, repeatCount: repeated ? layers : 1))
        }
        add("embed_tokens", .embedding, ["tokens": tokens, "hidden": c.hidden, "vocab": c.vocab], repeated: false)
        if c.architecture != .llama {
            add("embed_positions", .embedding, ["tokens": tokens, "hidden": c.hidden, "vocab": c.maxPositions], repeated: false)
        }
        if c.architecture == .bert {
            add("embed_token_types", .embedding, ["tokens": tokens, "hidden": c.hidden, "vocab": c.tokenTypes], repeated: false)
            add("embed_norm", .norm, ["rows": tokens, "columns": c.hidden, "affine": 2], repeated: false)
        }
        let qDim = c.heads * c.headDim, kvDim = c.kvHeads * c.headDim
        let qkvBias = biased || c.qkvBias ? 1 : 0
        if c.architecture != .bert { add("layers.attn_norm", .norm, ["rows": tokens, "columns": c.hidden, "affine": affine]) }
        add("layers.attn.q_proj", .gemm, ["m": tokens, "n": qDim, "k": c.hidden, "bias": qkvBias])
        add("layers.attn.k_proj", .gemm, ["m": tokens, "n": kvDim, "k": c.hidden, "bias": qkvBias])
        add("layers.attn.v_proj", .gemm, ["m": tokens, "n": kvDim, "k": c.hidden, "bias": qkvBias])
        if phase == .decode {
            add("layers.attn.kv_cache_append", .elementwise, ["elements": 2 * batch * kvDim, "operands": 1, "flops": 1])
        }
        let attention = ["batch": batch, "heads": c.heads, "kv_heads": c.kvHeads, "seq_q": seqQ, "seq_kv": seqKV, "head_dim": c.headDim]
        add("layers.attn.qk", .attentionQK, attention)
        add("layers.attn.softmax", .softmax, ["rows": batch * c.heads * seqQ, "columns": seqKV])
        add("layers.attn.pv", .attentionPV, attention)
        add("layers.attn.o_proj", .gemm, ["m": tokens, "n": c.hidden, "k": qDim, "bias": biased ? 1 : 0])
        add("layers.attn.residual", .elementwise, ["elements": tokens * c.hidden, "operands": 2, "flops": 1])
        if c.architecture == .bert { add("layers.attn_norm", .norm, ["rows": tokens, "columns": c.hidden, "affine": 2]) }
        else { add("layers.mlp_norm", .norm, ["rows": tokens, "columns": c.hidden, "affine": affine]) }
        if c.architecture == .llama {
            add("layers.mlp.gate_proj", .gemm, ["m": tokens, "n": c.intermediate, "k": c.hidden])
            add("layers.mlp.up_proj", .gemm, ["m": tokens, "n": c.intermediate, "k": c.hidden])
            add("layers.mlp.act", .elementwise, ["elements": tokens * c.intermediate, "operands": 2, "flops": 5])
            add("layers.mlp.down_proj", .gemm, ["m": tokens, "n": c.hidden, "k": c.intermediate])
        } else {
            add("layers.mlp.fc1", .gemm, ["m": tokens, "n": c.intermediate, "k": c.hidden, "bias": 1])
            add("layers.mlp.act", .elementwise, ["elements": tokens * c.intermediate, "operands": 1, "flops": 8])
            add("layers.mlp.fc2", .gemm, ["m": tokens, "n": c.hidden, "k": c.intermediate, "bias": 1])
        }
        add("layers.mlp.residual", .elementwise, ["elements": tokens * c.hidden, "operands": 2, "flops": 1])
        if c.architecture == .bert {
            add("layers.mlp_norm", .norm, ["rows": tokens, "columns": c.hidden, "affine": 2])
            add("pooler", .gemm, ["m": batch, "n": c.hidden, "k": c.hidden, "bias": 1], repeated: false)
            add("pooler.act", .elementwise, ["elements": batch * c.hidden, "operands": 1, "flops": 8], repeated: false)
        } else {
            add("final_norm", .norm, ["rows": tokens, "columns": c.hidden, "affine": affine], repeated: false)
            // The LM head: the last token of each sequence; tied heads reuse the embedding (no parameters of their own).
            ops.append(Op(name: "lm_head", kind: .gemm,
                          dims: ["m": batch, "n": c.vocab, "k": c.hidden, "bias": 0, "tied": c.tiedEmbeddings ? 1 : 0]))
        }
        let phaseText = phase == .prefill ? "prefill of \(length) tokens" : "decode at position \(length)"
        return Trace(name: "\(c.name) \(phaseText), batch \(batch)", source: "Hugging Face config of \(c.name)",
                     generatedBy: command, ops: ops)
    }
}
