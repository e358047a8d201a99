/// Gemma 1, 2 and 3 (`modeling_gemma.py`, `modeling_gemma2.py`,
/// `modeling_gemma3.py`): RMSNorm, rotary, GeGLU MLP, tied embeddings,
/// head_dim given separately (256 ≠ hidden/heads). Gemma 2 and 3 put a norm
/// before and after both attention and MLP and alternate sliding-window and
/// global layers (2: every other layer; 3: five local to one global);
/// Gemma 3 adds q/k norms.
///
/// A multimodal `gemma3` config is read through its `text_config`: only the
/// language model is modelled (the vision tower is not).
enum GemmaFamily: ModelFamily {
    static let modelTypes = ["gemma", "gemma2", "gemma3", "gemma3_text"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        if modelType == "gemma3", let text = try r.object("text_config") {
            return try read(text, modelType: "gemma3_text", name: name)
        }
        return try read(r, modelType: modelType, name: name)
    }

    static func read(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        let v3 = modelType.hasPrefix("gemma3")
        // Gemma3TextConfig's defaults (transformers configuration_gemma3.py) for keys a text_config may omit.
        let hidden = try r.int(["hidden_size"], default: v3 ? 2304 : nil)
        let heads = try r.int("num_attention_heads", default: v3 ? 8 : nil)
        let kvHeads = try r.int("num_key_value_heads", default: v3 ? 4 : heads)
        let layers = try r.layerCount(["num_hidden_layers"], default: v3 ? 26 : nil)
        var c = TransformerConfig(
            name: name, modelType: modelType, hidden: hidden, layers: layers, heads: heads, kvHeads: kvHeads,
            headDim: try r.int("head_dim", default: 256),
            intermediate: try r.int("intermediate_size", default: v3 ? 9216 : nil),
            vocab: try r.int("vocab_size", default: v3 ? 262_208 : nil),
            tiedEmbeddings: try r.bool("tie_word_embeddings") ?? true,
            maxPositions: try r.int("max_position_embeddings", default: 8192))
        c.qkvBias = try r.bool("attention_bias") ?? false
        c.outputBias = c.qkvBias
        guard modelType != "gemma" else { return c }
        c.normPlacement = .sandwich
        c.qkNorm = v3
        let window = try r.int("sliding_window", default: 4096)
        if let listed = try r.layerTypes(window: window) {
            c.layerAttention = listed
        } else {
            // Gemma 2: even layers slide; Gemma 3: all but every sliding_window_pattern-th layer.
            let pattern = v3 ? try r.int("sliding_window_pattern", default: 6) : 2
            c.layerAttention = (0..<layers).map { ($0 + 1) % pattern == 0 ? .full : .sliding(window: window) }
        }
        return c
    }
}
