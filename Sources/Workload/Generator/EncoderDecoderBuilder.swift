/// The ops of an encoder–decoder (T5).
///
/// Prefill: the shared embedding, the encoder over the prompt, the
/// cross-attention K/V projections of every decoder layer (the cache the
/// decoder steps read), and the first decoder step. Decode: one decoder
/// step at `length`, self-attending to `length + 1` positions and
/// cross-attending to the `encoderLength` encoder outputs. A decode trace
/// holds only the decoder's parameters (the encoder and the cross K/V
/// projections ran at prefill).
struct EncoderDecoderBuilder {
    let g: TransformerGenerator
    var c: TransformerConfig { g.config }

    func build(_ e: inout OpEmitter) {
        let c = self.c, b = g.batch
        let innerDim = c.heads * c.headDim
        let decoderLayers = c.decoderLayers ?? c.layers
        guard case .relative(let buckets) = c.positions else { preconditionFailure("T5 has relative positions") }
        let encoderTokens = b * g.encoderLength
        if g.phase == .prefill {
            e.add("embed_tokens", .embedding, ["tokens": encoderTokens, "hidden": c.hidden, "vocab": c.vocab])
            e.add("encoder.relative_attention_bias", .embedding,
                  ["tokens": g.length * g.length, "hidden": c.heads, "vocab": buckets])
            layer(&e, "encoder.layers.", tokens: encoderTokens, keys: g.length, c.layers)
            e.norm("encoder.final_norm", rows: encoderTokens, columns: c.hidden, .rms)
            e.gemm("decoder.layers.cross_attn.k_proj", m: encoderTokens, n: innerDim, k: c.hidden, decoderLayers)
            e.gemm("decoder.layers.cross_attn.v_proj", m: encoderTokens, n: innerDim, k: c.hidden, decoderLayers)
        }
        // One decoder step: at position 0 after the encoder (prefill), at `length` (decode).
        let position = g.phase == .prefill ? 0 : g.length
        e.add("decoder.embed_tokens", .embedding,
              ["tokens": b, "hidden": c.hidden, "vocab": c.vocab, "tied": g.phase == .prefill ? 1 : 0])
        e.add("decoder.relative_attention_bias", .embedding,
              ["tokens": position + 1, "hidden": c.heads, "vocab": buckets])
        layer(&e, "decoder.layers.", tokens: b, keys: position + 1, decoderLayers, decoding: true)
        e.norm("decoder.final_norm", rows: b, columns: c.hidden, .rms)
        e.add("lm_head", .gemm, ["m": b, "n": c.vocab, "k": c.hidden, "bias": 0, "tied": c.tiedEmbeddings ? 1 : 0])
    }

    /// One T5 block: self-attention, cross-attention in the decoder, feed-forward; pre-norm RMS, no biases.
    func layer(_ e: inout OpEmitter, _ p: String, tokens: Int, keys: Int, _ count: Int, decoding: Bool = false) {
        let c = self.c, inner = c.heads * c.headDim
        e.norm(p + "attn_norm", rows: tokens, columns: c.hidden, .rms, count)
        e.gemm(p + "attn.q_proj", m: tokens, n: inner, k: c.hidden, count)
        e.gemm(p + "attn.k_proj", m: tokens, n: inner, k: c.hidden, count)
        e.gemm(p + "attn.v_proj", m: tokens, n: inner, k: c.hidden, count)
        // The encoder's attention is bidirectional over the prompt; a decoder step appends to its self-attention cache.
        let step = TransformerGenerator(config: c, phase: decoding ? .decode : .prefill, batch: g.batch,
                                        length: decoding ? keys - 1 : keys)
        AttentionCore(g: step, prefix: p + "attn.", heads: c.heads, kvHeads: c.heads, keyDim: c.headDim,
                      valueDim: c.headDim, cachedPerToken: 2 * inner, positions: c.positions, causal: decoding)
            .emit(&e, keys: keys, count)
        e.gemm(p + "attn.o_proj", m: tokens, n: c.hidden, k: inner, count)
        e.residual(p + "attn.residual", tokens * c.hidden, count)
        if decoding {
            e.norm(p + "cross_attn_norm", rows: tokens, columns: c.hidden, .rms, count)
            e.gemm(p + "cross_attn.q_proj", m: tokens, n: inner, k: c.hidden, count)
            AttentionCore(g: step, prefix: p + "cross_attn.", heads: c.heads, kvHeads: c.heads, keyDim: c.headDim,
                          valueDim: c.headDim, cachedPerToken: 2 * inner, positions: .rotary, crossAttention: true)
                .emit(&e, keys: g.encoderLength, count)
            e.gemm(p + "cross_attn.o_proj", m: tokens, n: c.hidden, k: inner, count)
            e.residual(p + "cross_attn.residual", tokens * c.hidden, count)
        }
        e.norm(p + "mlp_norm", rows: tokens, columns: c.hidden, .rms, count)
        if c.gatedEncoderDecoder {
            e.gemm(p + "mlp.wi_0", m: tokens, n: c.intermediate, k: c.hidden, count)
            e.gemm(p + "mlp.wi_1", m: tokens, n: c.intermediate, k: c.hidden, count)
            e.add(p + "mlp.act", .elementwise, ["elements": tokens * c.intermediate, "operands": 2, "flops": 5], count)
        } else {
            e.gemm(p + "mlp.wi", m: tokens, n: c.intermediate, k: c.hidden, count)
            e.add(p + "mlp.act", .elementwise, ["elements": tokens * c.intermediate, "operands": 1, "flops": 1], count)
        }
        e.gemm(p + "mlp.wo", m: tokens, n: c.hidden, k: c.intermediate, count)
        e.residual(p + "mlp.residual", tokens * c.hidden, count)
    }
}
