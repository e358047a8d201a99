/// The LayerNorm decoders of 2019–2023: GPT-2, OPT, BLOOM, Falcon, GPT-NeoX.
/// All use plain (non-gated) MLPs with a GELU or ReLU between two GEMMs.

/// GPT-2 (`modeling_gpt2.py`): learned positions, one fused c_attn, biases
/// everywhere, the head tied to the token embedding.
enum GPT2Family: ModelFamily {
    static let modelTypes = ["gpt2"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        let hidden = try r.hiddenSize()
        let shape = try r.attentionShape(hidden: hidden)
        let positions = try r.int(["n_positions", "max_position_embeddings"], default: 1024)
        var c = TransformerConfig(
            name: name, modelType: modelType, hidden: hidden,
            layers: try r.layerCount(["n_layer", "num_hidden_layers"]),
            heads: shape.heads, kvHeads: shape.heads, headDim: shape.headDim,
            intermediate: try r.int(["n_inner"], default: 4 * hidden), vocab: try r.int("vocab_size"),
            tiedEmbeddings: try r.bool("tie_word_embeddings") ?? true, maxPositions: positions)
        c.classic(norm: .layer, positions: .learned(count: positions), bias: true)
        c.fusedQKV = true
        return c
    }
}

/// OPT (`modeling_opt.py`): learned positions with a 2-row offset, separate
/// q/k/v with biases, ReLU MLP, optional project_in/out when
/// word_embed_proj_dim differs from hidden, post-norm when
/// do_layer_norm_before is false (OPT-350M).
enum OPTFamily: ModelFamily {
    static let modelTypes = ["opt"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        let hidden = try r.hiddenSize()
        let shape = try r.attentionShape(hidden: hidden)
        let positions = try r.int("max_position_embeddings", default: 2048)
        var c = TransformerConfig(
            name: name, modelType: modelType, hidden: hidden, layers: try r.layerCount(["num_hidden_layers"]),
            heads: shape.heads, kvHeads: shape.heads, headDim: shape.headDim, intermediate: try r.int("ffn_dim"),
            vocab: try r.int("vocab_size"), tiedEmbeddings: try r.bool("tie_word_embeddings") ?? true,
            maxPositions: positions)
        // OPTLearnedPositionalEmbedding allocates max_position_embeddings + 2 rows.
        c.classic(norm: .layer, positions: .learned(count: positions + 2), bias: try r.bool("enable_bias") ?? true)
        let projection = try r.int("word_embed_proj_dim", default: hidden)
        c.embeddingProjection = projection == hidden ? nil : projection
        let preNorm = try r.bool("do_layer_norm_before") ?? true
        c.normPlacement = preNorm ? .pre : .post
        let removed = try r.bool("_remove_final_layer_norm") ?? false
        c.finalNorm = preNorm && !removed
        return c
    }
}

/// BLOOM (`modeling_bloom.py`): ALiBi instead of position embeddings, a
/// LayerNorm on the embeddings, one fused query_key_value, biases, tied head.
enum BloomFamily: ModelFamily {
    static let modelTypes = ["bloom"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        let hidden = try r.int(["hidden_size", "n_embed"])
        let shape = try r.attentionShape(hidden: hidden)
        var c = TransformerConfig(
            name: name, modelType: modelType, hidden: hidden,
            layers: try r.layerCount(["n_layer", "num_hidden_layers"]),
            heads: shape.heads, kvHeads: shape.heads, headDim: shape.headDim, intermediate: 4 * hidden,
            vocab: try r.int("vocab_size"), tiedEmbeddings: try r.bool("tie_word_embeddings") ?? true,
            maxPositions: try r.int("seq_length", default: 2048))
        c.classic(norm: .layer, positions: .alibi, bias: true)
        c.fusedQKV = true
        c.embeddingNorm = true
        return c
    }
}

/// Falcon (`modeling_falcon.py`): multi-query attention (one K/V head) or,
/// with new_decoder_architecture, grouped KV heads; attention and MLP in
/// parallel from one input (one shared norm, or ln_attn and ln_mlp);
/// biases only when `bias`; rotary unless `alibi`.
enum FalconFamily: ModelFamily {
    static let modelTypes = ["falcon"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        let hidden = try r.hiddenSize()
        let heads = try r.int(["num_attention_heads", "n_head"])
        guard hidden % heads == 0 else {
            throw r.error("num_attention_heads", "hidden_size \(hidden) is not divisible by \(heads) heads")
        }
        let newArchitecture = try r.bool("new_decoder_architecture") ?? false
        let kvHeads = newArchitecture ? try r.int(["num_kv_heads", "n_head_kv"], default: heads)
            : (try r.bool("multi_query") ?? true) ? 1 : heads
        var c = TransformerConfig(
            name: name, modelType: modelType, hidden: hidden,
            layers: try r.layerCount(["num_hidden_layers", "n_layer"]),
            heads: heads, kvHeads: kvHeads, headDim: hidden / heads,
            intermediate: try r.int("ffn_hidden_size", default: 4 * hidden), vocab: try r.int("vocab_size"),
            tiedEmbeddings: try r.bool("tie_word_embeddings") ?? true,
            maxPositions: try r.int("max_position_embeddings", default: 2048))
        let alibi = try r.bool("alibi") ?? false
        c.classic(norm: .layer, positions: alibi ? .alibi : .rotary, bias: try r.bool("bias") ?? false)
        c.fusedQKV = true
        if newArchitecture {
            c.normPlacement = .parallel(norms: try r.int("num_ln_in_parallel_attn", default: 2))
        } else if try r.bool("parallel_attn") ?? true {
            c.normPlacement = .parallel(norms: 1)
        }
        return c
    }
}

/// GPT-NeoX and Pythia (`modeling_gpt_neox.py`): rotary on part of each
/// head, fused query_key_value, biases, parallel residual with two norms,
/// an untied embed_out head.
enum GPTNeoXFamily: ModelFamily {
    static let modelTypes = ["gpt_neox"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        let hidden = try r.hiddenSize()
        let shape = try r.attentionShape(hidden: hidden)
        var c = TransformerConfig(
            name: name, modelType: modelType, hidden: hidden, layers: try r.layerCount(["num_hidden_layers"]),
            heads: shape.heads, kvHeads: shape.heads, headDim: shape.headDim,
            intermediate: try r.int("intermediate_size", default: 4 * hidden), vocab: try r.int("vocab_size"),
            tiedEmbeddings: try r.bool("tie_word_embeddings") ?? false,
            maxPositions: try r.int("max_position_embeddings", default: 2048))
        c.classic(norm: .layer, positions: .rotary, bias: true)
        c.qkvBias = try r.bool("attention_bias") ?? true
        c.outputBias = c.qkvBias
        c.fusedQKV = true
        if try r.bool("use_parallel_residual") ?? true { c.normPlacement = .parallel(norms: 2) }
        return c
    }
}

extension TransformerConfig {
    /// A LayerNorm-era layer: plain MLP, the given norm, positions and biases.
    mutating func classic(norm: Norm, positions: Positions, bias: Bool) {
        self.norm = norm
        self.positions = positions
        gatedMLP = false
        qkvBias = bias
        outputBias = bias
        mlpBias = bias
    }
}
