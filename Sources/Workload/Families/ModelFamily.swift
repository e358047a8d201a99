import Documents

/// A group of Hugging Face architectures that one reader understands: which
/// `model_type` values it accepts and how their config keys become a
/// `TransformerConfig`. Each family follows its `transformers` modeling
/// file (`models/<type>/modeling_<type>.py`) for the layer structure.
protocol ModelFamily: Sendable {
    /// The `model_type` values this family reads.
    static var modelTypes: [String] { get }
    /// Reads `r` (whose `model_type` is `modelType`, one of `modelTypes`).
    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig
}

/// The registry of model families: the one list the loader dispatches on
/// and the unknown-type error quotes.
public enum ModelFamilies {
    static let all: [any ModelFamily.Type] = [
        LlamaFamily.self, MixtureFamily.self, GemmaFamily.self, Phi3Family.self, GptOssFamily.self, DeepSeekFamily.self,
        GPT2Family.self, OPTFamily.self, BloomFamily.self, FalconFamily.self, GPTNeoXFamily.self,
        BertFamily.self, T5Family.self,
    ]

    /// Every `model_type` lpsim reads, sorted.
    public static var supportedTypes: [String] { all.flatMap { $0.modelTypes }.sorted() }

    static func configure(_ r: HFConfigReader, defaultName: String) throws -> TransformerConfig {
        let supported = supportedTypes.joined(separator: ", ")
        guard let modelType = try r.string("model_type") else {
            throw r.error(nil, "missing 'model_type'; expected one of \(supported)")
        }
        guard let family = all.first(where: { $0.modelTypes.contains(modelType) }) else {
            let hints = closeMatches(to: modelType, in: supportedTypes)
            throw r.error("model_type", "unsupported model_type '\(modelType)'; expected one of \(supported)"
                          + (hints.isEmpty ? "" : " (did you mean '\(hints[0])'?)"))
        }
        let name = try r.string("_name_or_path").flatMap { $0.isEmpty ? nil : $0 } ?? defaultName
        var config = try family.configure(r, modelType: modelType, name: name)
        try check(config, r)
        if let warning = quantizationWarning(r) { config.warnings.append(warning) }
        return config
    }

    /// Consistency every family shares: head counts, per-layer tables, MoE sizes.
    static func check(_ c: TransformerConfig, _ r: HFConfigReader) throws {
        guard c.heads % c.kvHeads == 0 else {
            throw r.error("num_key_value_heads",
                          "\(c.heads) attention heads are not a multiple of \(c.kvHeads) KV heads")
        }
        guard c.layerAttention.count == c.layers, c.layerFeedForward.count == c.layers else {
            throw r.error("layer_types", "lists \(c.layerAttention.count) layers, but the model has \(c.layers)")
        }
        if let moe = c.moe, moe.topK > moe.experts {
            throw r.error("num_experts_per_tok",
                          "routes each token to \(moe.topK) experts, but there are only \(moe.experts)")
        }
    }
}

/// Readers shared by the families.
extension HFConfigReader {
    /// hidden_size / n_embd / d_model.
    func hiddenSize() throws -> Int { try int(["hidden_size", "n_embd", "d_model"]) }

    /// Heads, KV heads and head size, checked: hidden must divide by heads unless head_dim is given.
    func attentionShape(hidden: Int, headKeys: [String] = ["num_attention_heads", "n_head"],
                        kvKeys: [String] = ["num_key_value_heads"]) throws -> (heads: Int, kvHeads: Int, headDim: Int) {
        let heads = try int(headKeys)
        guard hidden % heads == 0 || hasValue("head_dim") else {
            // At the heads field (the first of `headKeys` the file has), not at the top of the file.
            let key = headKeys.first { field($0) != nil }
            throw error(key, "hidden_size \(hidden) is not divisible by num_attention_heads \(heads); give head_dim")
        }
        let kvHeads = try int(kvKeys, default: heads)
        guard heads % kvHeads == 0 else {
            throw error(kvKeys[0], "\(heads) attention heads are not a multiple of \(kvHeads) KV heads")
        }
        return (heads, kvHeads, try int("head_dim", default: hidden / heads))
    }

    /// The per-layer attention spans from `layer_types` (`sliding_attention`,
    /// `full_attention`), or nil when the config has no such list.
    func layerTypes(window: Int?) throws -> [TransformerConfig.Attention]? {
        guard let types = try strings("layer_types") else { return nil }
        return try types.map { type in
            switch type {
            case "full_attention": return .full
            case "sliding_attention":
                guard let window else {
                    throw error("sliding_window", "layer_types has sliding layers but no sliding_window")
                }
                return .sliding(window: window)
            default:
                throw error("layer_types", "unknown layer type '\(type)'; expected full_attention or sliding_attention")
            }
        }
    }
}
