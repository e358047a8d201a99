/// Llama-style decoders (transformers `modeling_llama.py`, `modeling_mistral.py`,
/// `modeling_qwen2.py`, `modeling_qwen3.py`): pre-norm RMSNorm, rotary
/// positions, SwiGLU MLP (gate, up, down), untied head unless the config ties it.
enum LlamaFamily: ModelFamily {
    static let modelTypes = ["llama", "mistral", "qwen2", "qwen3"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        try base(r, modelType: modelType, name: name)
    }

    /// The shared Llama-style reading; the MoE and Phi-3 families start from it.
    static func base(_ r: HFConfigReader, modelType: String, name: String,
                     intermediateKeys: [String] = ["intermediate_size"]) throws -> TransformerConfig {
        let hidden = try r.hiddenSize()
        let shape = try r.attentionShape(hidden: hidden)
        let layers = try r.layerCount(["num_hidden_layers"])
        var c = TransformerConfig(
            name: name, modelType: modelType, hidden: hidden, layers: layers, heads: shape.heads,
            kvHeads: shape.kvHeads,
            headDim: shape.headDim, intermediate: try r.int(intermediateKeys), vocab: try r.int("vocab_size"),
            tiedEmbeddings: try r.bool("tie_word_embeddings") ?? false,
            maxPositions: try r.int("max_position_embeddings", default: 2048))
        switch modelType {
        case "qwen2", "qwen2_moe":
            // Qwen2Attention: q/k/v with bias, o_proj without.
            c.qkvBias = true
        case "qwen3", "qwen3_moe":
            c.qkNorm = true
            c.qkvBias = try r.bool("attention_bias") ?? false
            c.outputBias = c.qkvBias
        default:
            // LlamaAttention: attention_bias applies to all four projections.
            c.qkvBias = try r.bool("attention_bias") ?? false
            c.outputBias = c.qkvBias
        }
        c.mlpBias = try r.bool("mlp_bias") ?? false
        c.layerAttention = try slidingLayers(r, modelType: modelType, layers: layers)
        return c
    }

    /// Mistral and Mixtral slide every layer when `sliding_window` is set;
    /// Qwen slides layers from `max_window_layers` on when `use_sliding_window`.
    static func slidingLayers(_ r: HFConfigReader, modelType: String,
                              layers: Int) throws -> [TransformerConfig.Attention] {
        let window = try r.optionalInt("sliding_window")
        if let listed = try r.layerTypes(window: window) { return listed }
        guard let window else { return Array(repeating: .full, count: layers) }
        if modelType.hasPrefix("qwen") {
            guard try r.bool("use_sliding_window") == true else { return Array(repeating: .full, count: layers) }
            let from = try r.int("max_window_layers", default: layers, minimum: 0)
            return (0..<layers).map { $0 >= from ? .sliding(window: window) : .full }
        }
        return Array(repeating: .sliding(window: window), count: layers)
    }
}

/// Mixture-of-experts decoders on the Llama layout (`modeling_mixtral.py`,
/// `modeling_qwen2_moe.py`, `modeling_qwen3_moe.py`): a router GEMM, top-k
/// routed experts, and for Qwen2-MoE a gated shared expert.
enum MixtureFamily: ModelFamily {
    static let modelTypes = ["mixtral", "qwen2_moe", "qwen3_moe"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        var c = try LlamaFamily.base(r, modelType: modelType, name: name)
        if modelType == "mixtral" {
            c.moe = .init(experts: try r.int("num_local_experts"), topK: try r.int("num_experts_per_tok"),
                          intermediate: c.intermediate)
            c.layerFeedForward = Array(repeating: .moe, count: c.layers)
            return c
        }
        var moe = TransformerConfig.MoE(experts: try r.int("num_experts"), topK: try r.int("num_experts_per_tok"),
                                        intermediate: try r.int("moe_intermediate_size"))
        if modelType == "qwen2_moe" {
            moe.sharedIntermediate = try r.int("shared_expert_intermediate_size", default: 0, minimum: 0)
            moe.sharedGate = moe.sharedIntermediate > 0
        }
        c.moe = moe
        // Qwen*MoeDecoderLayer: sparse when (i + 1) % decoder_sparse_step == 0 and i is not in mlp_only_layers.
        let step = try r.int("decoder_sparse_step", default: 1)
        let dense = Set(try r.ints("mlp_only_layers") ?? [])
        c.layerFeedForward = (0..<c.layers).map { i in
            !dense.contains(i) && (i + 1) % step == 0 ? .moe : .dense(intermediate: c.intermediate)
        }
        return c
    }
}

/// Phi-3 (`modeling_phi3.py`): the Llama layout with one fused qkv_proj and
/// one fused gate_up_proj.
enum Phi3Family: ModelFamily {
    static let modelTypes = ["phi3"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        var c = try LlamaFamily.base(r, modelType: modelType, name: name)
        c.fusedQKV = true
        c.fusedGateUp = true
        return c
    }
}
