/// Encoders and encoder–decoders.

/// BERT and RoBERTa (`modeling_bert.py`, `modeling_roberta.py`): post-norm
/// encoder layers, learned positions and token types with a LayerNorm on
/// the embeddings, GELU MLP, biases, a pooler. An encoder has no decode step.
enum BertFamily: ModelFamily {
    static let modelTypes = ["bert", "roberta"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        let hidden = try r.hiddenSize()
        let shape = try r.attentionShape(hidden: hidden)
        let positions = try r.int("max_position_embeddings", default: 512)
        var c = TransformerConfig(
            name: name, modelType: modelType, hidden: hidden, layers: try r.layerCount(["num_hidden_layers"]),
            heads: shape.heads, kvHeads: shape.heads, headDim: shape.headDim,
            intermediate: try r.int("intermediate_size", default: 4 * hidden), vocab: try r.int("vocab_size"),
            tiedEmbeddings: false, maxPositions: positions)
        c.classic(norm: .layer, positions: .learned(count: positions), bias: true)
        c.tokenTypes = try r.int("type_vocab_size", default: 2, minimum: 0)
        c.normPlacement = .post
        c.embeddingNorm = true
        c.finalNorm = false
        c.encoderOnly = true
        c.pooler = true
        return c
    }
}

/// T5 (`modeling_t5.py`): an encoder and a decoder stack of pre-norm RMS
/// layers without biases, a bucketed relative-position bias learned in each
/// stack's first layer, decoder layers with cross-attention over the
/// encoder output, a ReLU (v1.0) or gated-GELU (v1.1) feed-forward, and one
/// embedding shared by both stacks (and by the head when tied).
enum T5Family: ModelFamily {
    static let modelTypes = ["t5"]

    static func configure(_ r: HFConfigReader, modelType: String, name: String) throws -> TransformerConfig {
        let hidden = try r.int(["d_model", "hidden_size"])
        let heads = try r.int(["num_heads", "num_attention_heads"])
        let layers = try r.layerCount(["num_layers", "num_hidden_layers"])
        var c = TransformerConfig(
            name: name, modelType: modelType, hidden: hidden, layers: layers, heads: heads, kvHeads: heads,
            headDim: try r.int("d_kv", default: hidden / heads), intermediate: try r.int("d_ff"),
            vocab: try r.int("vocab_size"), tiedEmbeddings: try r.bool("tie_word_embeddings") ?? true,
            maxPositions: try r.int("n_positions", default: 512))
        c.positions = .relative(buckets: try r.int("relative_attention_num_buckets", default: 32))
        c.decoderLayers = try r.layerCount(["num_decoder_layers"], default: layers)
        let projection = try r.string("feed_forward_proj") ?? "relu"
        guard ["relu", "gated-gelu", "gated-relu", "gelu", "gated-silu"].contains(projection) else {
            throw r.error("feed_forward_proj",
                          "expected relu, gelu, gated-gelu, gated-relu or gated-silu, got '\(projection)'")
        }
        c.gatedEncoderDecoder = projection.hasPrefix("gated")
        c.gatedMLP = c.gatedEncoderDecoder
        return c
    }
}
