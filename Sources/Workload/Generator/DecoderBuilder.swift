/// The ops of a decoder-only or encoder-only stack (everything but T5).
struct DecoderBuilder {
    let g: TransformerGenerator
    var c: TransformerConfig { g.config }

    func build(_ e: inout OpEmitter) {
        let c = self.c
        let tokens = g.batch * g.queryLength
        let L = c.layers
        e.add("embed_tokens", .embedding,
              ["tokens": tokens, "hidden": c.embeddingProjection ?? c.hidden, "vocab": c.vocab])
        if case .learned(let count) = c.positions {
            e.add("embed_positions", .embedding, ["tokens": tokens, "hidden": c.hidden, "vocab": count])
        }
        if c.tokenTypes > 0 {
            e.add("embed_token_types", .embedding, ["tokens": tokens, "hidden": c.hidden, "vocab": c.tokenTypes])
        }
        if c.embeddingNorm { e.norm("embed_norm", rows: tokens, columns: c.hidden, c.norm) }
        if let p = c.embeddingProjection { e.gemm("project_in", m: tokens, n: c.hidden, k: p) }

        // Attention: norms and projections shared by every layer, then the core per attention span.
        switch c.normPlacement {
        case .pre, .sandwich: e.norm("layers.attn_norm", rows: tokens, columns: c.hidden, c.norm, L)
        case .parallel(let norms):
            e.norm("layers.attn_norm", rows: tokens, columns: c.hidden, c.norm, L)
            if norms > 1 { e.norm("layers.mlp_norm", rows: tokens, columns: c.hidden, c.norm, L) }
        case .post: break
        }
        let valueDim: Int
        if let mla = c.mla {
            valueDim = mla.valueDim
            latentAttention(&e, mla, tokens: tokens)
        } else {
            valueDim = c.headDim
            projections(&e, tokens: tokens)
            let spans = grouped(c.layerAttention)
            for (span, count) in spans {
                let prefix = spans.count == 1 || span == .full ? "layers.attn." : "layers.sliding_attn."
                AttentionCore(g: g, prefix: prefix, heads: c.heads, kvHeads: c.kvHeads, keyDim: c.headDim,
                              valueDim: c.headDim, cachedPerToken: 2 * c.kvHeads * c.headDim,
                              positions: c.positions, causal: !c.encoderOnly).emit(&e, keys: g.keys(span), count)
            }
        }
        e.gemm("layers.attn.o_proj", m: tokens, n: c.hidden, k: c.heads * valueDim, bias: c.outputBias, L)
        if case .parallel = c.normPlacement {} else {
            e.residual("layers.attn.residual", tokens * c.hidden, L)
        }
        switch c.normPlacement {
        case .sandwich: e.norm("layers.post_attn_norm", rows: tokens, columns: c.hidden, c.norm, L)
        case .post: e.norm("layers.attn_norm", rows: tokens, columns: c.hidden, c.norm, L)
        default: break
        }

        // Feed-forward, per kind of layer.
        let kinds = grouped(c.layerFeedForward)
        for (kind, count) in kinds {
            let prefix: String
            switch kind {
            case .moe: prefix = "layers.moe"
            case .dense(let size):
                let denseKinds = kinds.filter { if case .dense = $0.value { true } else { false } }.count
                prefix = denseKinds > 1 ? "layers.mlp\(size)" : "layers.mlp"
            }
            if c.normPlacement == .pre || c.normPlacement == .sandwich {
                e.norm(prefix + "_norm", rows: tokens, columns: c.hidden, c.norm, count)
            }
            switch kind {
            case .dense(let size): mlp(&e, prefix + ".", tokens: tokens, intermediate: size, count)
            case .moe: MoEPlan(config: c, tokens: tokens).emit(&e, prefix: prefix + ".", config: c, layers: count)
            }
            switch c.normPlacement {
            case .sandwich:
                e.norm(prefix + ".post_norm", rows: tokens, columns: c.hidden, c.norm, count)
                e.residual(prefix + ".residual", tokens * c.hidden, count)
            case .parallel: e.residual(prefix + ".residual", tokens * c.hidden, operands: 3, count)
            case .post:
                e.residual(prefix + ".residual", tokens * c.hidden, count)
                e.norm(prefix + "_norm", rows: tokens, columns: c.hidden, c.norm, count)
            case .pre: e.residual(prefix + ".residual", tokens * c.hidden, count)
            }
        }

        if c.encoderOnly {
            if c.pooler {
                e.gemm("pooler", m: g.batch, n: c.hidden, k: c.hidden, bias: true)
                e.add("pooler.act", .elementwise, ["elements": g.batch * c.hidden, "operands": 1, "flops": 8])
            }
            return
        }
        if c.finalNorm { e.norm("final_norm", rows: tokens, columns: c.hidden, c.norm) }
        if let p = c.embeddingProjection { e.gemm("project_out", m: g.batch, n: p, k: c.hidden) }
        // The LM head: the last token of each sequence; a tied head reuses the embedding (no parameters of its own).
        e.add("lm_head", .gemm, ["m": g.batch, "n": c.vocab, "k": c.embeddingProjection ?? c.hidden, "bias": 0,
                                 "tied": c.tiedEmbeddings ? 1 : 0])
    }

    /// Q, K and V: one fused GEMM or three, then per-head q/k norms.
    func projections(_ e: inout OpEmitter, tokens: Int) {
        let c = self.c, L = c.layers
        let qDim = c.heads * c.headDim, kvDim = c.kvHeads * c.headDim
        if c.fusedQKV {
            e.gemm("layers.attn.qkv_proj", m: tokens, n: qDim + 2 * kvDim, k: c.hidden, bias: c.qkvBias, L)
        } else {
            e.gemm("layers.attn.q_proj", m: tokens, n: qDim, k: c.hidden, bias: c.qkvBias, L)
            e.gemm("layers.attn.k_proj", m: tokens, n: kvDim, k: c.hidden, bias: c.qkvBias, L)
            e.gemm("layers.attn.v_proj", m: tokens, n: kvDim, k: c.hidden, bias: c.qkvBias, L)
        }
        if c.qkNorm {
            e.norm("layers.attn.q_norm", rows: tokens * c.heads, columns: c.headDim, .rms, L)
            e.norm("layers.attn.k_norm", rows: tokens * c.kvHeads, columns: c.headDim, .rms, L)
        }
    }

    /// Multi-head latent attention. Prefill decompresses K and V per head
    /// (kv_b_proj) and attends in full, as serving stacks do for long
    /// prompts; decode folds kv_b_proj into the query and the output
    /// (`q_absorb`, `v_absorb`, per head) and attends over the latent cache
    /// directly: one shared K/V "head" of kv_lora_rank + rope elements per
    /// token, which is all the cache holds (DeepSeek-V2 §2.1.2; FlashMLA).
    func latentAttention(_ e: inout OpEmitter, _ mla: TransformerConfig.MLA, tokens: Int) {
        let c = self.c, L = c.layers, H = c.heads
        let qk = mla.nopeDim + mla.ropeDim
        if let rank = mla.qLoraRank {
            e.gemm("layers.attn.q_a_proj", m: tokens, n: rank, k: c.hidden, bias: c.qkvBias, L)
            e.norm("layers.attn.q_a_norm", rows: tokens, columns: rank, .rms, L)
            e.gemm("layers.attn.q_b_proj", m: tokens, n: H * qk, k: rank, L)
        } else {
            e.gemm("layers.attn.q_proj", m: tokens, n: H * qk, k: c.hidden, L)
        }
        e.gemm("layers.attn.kv_a_proj", m: tokens, n: mla.cachedPerToken, k: c.hidden, bias: c.qkvBias, L)
        e.norm("layers.attn.kv_a_norm", rows: tokens, columns: mla.kvLoraRank, .rms, L)
        let keys = g.keys(.full)
        if g.phase == .prefill {
            // The latent the decode steps will read: written once for the whole prompt.
            e.add("layers.attn.kv_cache_write", .elementwise,
                  ["elements": tokens * mla.cachedPerToken, "operands": 1, "flops": 1], L)
            e.gemm("layers.attn.kv_b_proj", m: tokens, n: H * (mla.nopeDim + mla.valueDim), k: mla.kvLoraRank, L)
            AttentionCore(g: g, prefix: "layers.attn.", heads: H, kvHeads: H, keyDim: qk, valueDim: mla.valueDim,
                          cachedPerToken: mla.cachedPerToken, positions: c.positions, decompressed: true,
                          causal: true)
                .emit(&e, keys: keys, L)
        } else {
            e.gemm("layers.attn.q_absorb", m: tokens, n: mla.kvLoraRank, k: mla.nopeDim, L * H)
            AttentionCore(g: g, prefix: "layers.attn.", heads: H, kvHeads: 1, keyDim: mla.cachedPerToken,
                          valueDim: mla.kvLoraRank, cachedPerToken: mla.cachedPerToken, positions: c.positions,
                          sharedValueCache: true, causal: true).emit(&e, keys: keys, L)
            e.gemm("layers.attn.v_absorb", m: tokens, n: mla.valueDim, k: mla.kvLoraRank, L * H)
        }
    }

    /// A dense MLP: gated (gate, up — or one fused gate_up — and down) or plain (fc1, fc2).
    func mlp(_ e: inout OpEmitter, _ p: String, tokens: Int, intermediate: Int, _ count: Int) {
        let c = self.c
        if c.gatedMLP {
            if c.fusedGateUp {
                e.gemm(p + "gate_up_proj", m: tokens, n: 2 * intermediate, k: c.hidden, bias: c.mlpBias, count)
            } else {
                e.gemm(p + "gate_proj", m: tokens, n: intermediate, k: c.hidden, bias: c.mlpBias, count)
                e.gemm(p + "up_proj", m: tokens, n: intermediate, k: c.hidden, bias: c.mlpBias, count)
            }
            e.add(p + "act", .elementwise, ["elements": tokens * intermediate, "operands": 2, "flops": 5], count)
            e.gemm(p + "down_proj", m: tokens, n: c.hidden, k: intermediate, bias: c.mlpBias, count)
        } else {
            e.gemm(p + "fc1", m: tokens, n: intermediate, k: c.hidden, bias: c.mlpBias, count)
            e.add(p + "act", .elementwise, ["elements": tokens * intermediate, "operands": 1, "flops": 8], count)
            e.gemm(p + "fc2", m: tokens, n: c.hidden, k: intermediate, bias: c.mlpBias, count)
        }
    }
}

/// QKᵀ, the position bias if any, softmax and PV of one group of layers,
/// with the cache append of a decode step.
struct AttentionCore {
    let g: TransformerGenerator
    let prefix: String
    let heads: Int
    let kvHeads: Int
    let keyDim: Int
    let valueDim: Int
    /// Elements the cache gains per token per layer.
    let cachedPerToken: Int
    let positions: TransformerConfig.Positions
    /// Prefill MLA: K and V are decompressed per head, not the cache itself.
    var decompressed = false
    /// Decode MLA: PV reads the latent QKᵀ already read (`kv_shared`).
    var sharedValueCache = false
    /// Cross-attention: the cache was filled by the encoder, nothing is appended.
    var crossAttention = false
    /// A decoder's self-attention: each query sees the keys up to its own position (`causal`).
    var causal = false

    func emit(_ e: inout OpEmitter, keys: Int, _ count: Int) {
        let b = g.batch, q = crossAttention ? 1 : g.queryLength
        if g.phase == .decode && !crossAttention {
            e.add(prefix + "kv_cache_append", .elementwise,
                  ["elements": b * cachedPerToken, "operands": 1, "flops": 1], count)
        }
        var qk = ["batch": b, "heads": heads, "kv_heads": kvHeads, "seq_q": q, "seq_kv": keys, "head_dim": keyDim]
        if decompressed { qk["kv_shared"] = 1 }
        if causal { qk["causal"] = 1 }
        e.add(prefix + "qk", .attentionQK, qk, count)
        let scores = b * heads * q * keys
        switch positions {
        case .alibi: e.add(prefix + "alibi", .elementwise, ["elements": scores, "operands": 1, "flops": 1], count)
        case .relative:
            e.add(prefix + "position_bias", .elementwise, ["elements": scores, "operands": 2, "flops": 1], count)
        default: break
        }
        e.add(prefix + "softmax", .softmax, ["rows": b * heads * q, "columns": keys], count)
        var pv = qk
        pv["head_dim"] = valueDim
        if sharedValueCache { pv["kv_shared"] = 1 }
        e.add(prefix + "pv", .attentionPV, pv, count)
    }
}
