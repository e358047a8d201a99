import Documents

/// DeepSeek-V2 and V3 (`modeling_deepseek_v2.py`, `modeling_deepseek_v3.py`):
/// multi-head latent attention (queries through a q_lora_rank bottleneck
/// when given; keys and values through a kv_lora_rank latent plus a shared
/// decoupled rotary key), the first `first_k_dense_replace` layers dense,
/// the rest mixture-of-experts with `n_shared_experts` always-on experts.
///
/// The multi-token-prediction layers (`num_nextn_predict_layers`) are not
/// part of the Hugging Face model and are not modelled: the counts are the
/// main model's (DeepSeek-V3: 671 B, not 685 B).
enum DeepSeekFamily: ModelFamily {
    static let modelTypes = ["deepseek_v2", "deepseek_v3"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        let hidden = try r.hiddenSize()
        let heads = try r.int("num_attention_heads")
        let layers = try r.layerCount(["num_hidden_layers"])
        let mla = TransformerConfig.MLA(
            qLoraRank: try r.optionalInt("q_lora_rank"), kvLoraRank: try r.int("kv_lora_rank"),
            nopeDim: try r.int("qk_nope_head_dim"), ropeDim: try r.int("qk_rope_head_dim"),
            valueDim: try r.int("v_head_dim"))
        let intermediate = try r.int("intermediate_size")
        var c = TransformerConfig(
            name: name, modelType: modelType, hidden: hidden, layers: layers, heads: heads,
            kvHeads: try r.int("num_key_value_heads", default: heads), headDim: mla.nopeDim + mla.ropeDim,
            intermediate: intermediate, vocab: try r.int("vocab_size"),
            tiedEmbeddings: try r.bool("tie_word_embeddings") ?? false,
            maxPositions: try r.int("max_position_embeddings", default: 2048))
        c.mla = mla
        c.qkvBias = try r.bool("attention_bias") ?? false
        c.outputBias = c.qkvBias
        if let routed = try r.optionalInt("n_routed_experts") {
            let expertSize = try r.int("moe_intermediate_size")
            var moe = TransformerConfig.MoE(experts: routed, topK: try r.int("num_experts_per_tok"),
                                            intermediate: expertSize)
            moe.sharedIntermediate = try r.int("n_shared_experts", default: 0, minimum: 0) * expertSize
            // DeepseekV3TopkRouter keeps an e_score_correction_bias per expert (the aux-loss-free balancing).
            let method = try r.string("topk_method")
            moe.scoreBias = modelType == "deepseek_v3" || method == "noaux_tc"
            c.moe = moe
            let firstMoE = try r.int("first_k_dense_replace", default: 0, minimum: 0)
            let every = try r.int("moe_layer_freq", default: 1)
            c.layerFeedForward = (0..<layers).map { i in
                i >= firstMoE && i % every == 0 ? .moe : .dense(intermediate: intermediate)
            }
        } else {
            c.warnings.append(denseWarning(r))
        }
        return c
    }

    /// Without `n_routed_experts` DeepSeek's own modeling code builds every layer dense
    /// (`config.n_routed_experts is not None` gates the MoE block), and so does lpsim; but
    /// `transformers`' `DeepseekV3Config` would default the key to 256 experts, so a config that
    /// merely lost the key would silently become a dense model. Say which one was built.
    static func denseWarning(_ r: HFConfigReader) -> Diagnostic {
        r.warning("model_type", "no 'n_routed_experts': every layer is modelled as a dense MLP "
                  + "(intermediate_size), not mixture-of-experts; give n_routed_experts, "
                  + "num_experts_per_tok and moe_intermediate_size for the MoE model")
    }
}

/// gpt-oss (`modeling_gpt_oss.py`): RMSNorm, rotary, attention with biases
/// and a learned sink logit per head, sliding and full layers alternating
/// (`layer_types`), and a mixture-of-experts MLP whose router and experts
/// (fused gate_up_proj, down_proj) all carry biases.
///
/// The sinks (one scalar per head per layer, 1 536 in gpt-oss-20b) are
/// left out of the parameter count: no op owns them.
enum GptOssFamily: ModelFamily {
    static let modelTypes = ["gpt_oss"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        var c = try LlamaFamily.base(r, modelType: modelType, name: name)
        c.qkvBias = try r.bool("attention_bias") ?? true
        c.outputBias = c.qkvBias
        var moe = TransformerConfig.MoE(experts: try r.int("num_local_experts"),
                                        topK: try r.int(["num_experts_per_tok", "experts_per_token"]),
                                        intermediate: c.intermediate)
        moe.routerBias = true
        moe.expertBias = true
        c.moe = moe
        c.fusedGateUp = true
        c.layerFeedForward = Array(repeating: .moe, count: c.layers)
        return c
    }
}
