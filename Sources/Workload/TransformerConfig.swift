import Documents
import Foundation

/// The shape of a transformer, read from a Hugging Face `config.json` by the
/// model family its `model_type` names (`ModelFamilies`): sizes, and the
/// structural choices its `transformers` modeling file makes (norm kind and
/// placement, fused projections, gated MLP, biases, positions, per-layer
/// attention windows, mixture-of-experts, multi-head latent attention,
/// encoder–decoder stacks). `TransformerGenerator` turns it into ops.
public struct TransformerConfig: Sendable, Hashable {
    /// RMSNorm (a scale per column) or LayerNorm (scale and shift).
    public enum Norm: Sendable, Hashable {
        case rms, layer
        var affine: Int { self == .rms ? 1 : 2 }
    }

    /// Where a layer's norms sit.
    public enum NormPlacement: Sendable, Hashable {
        /// Before attention and before the MLP (Llama, GPT-2, OPT, BLOOM).
        case pre
        /// Before and after each of attention and MLP (Gemma 2 and 3).
        case sandwich
        /// After each residual add (BERT, RoBERTa).
        case post
        /// Attention and MLP read the same input (GPT-J style: Falcon, GPT-NeoX);
        /// `norms` is 1 when they share one norm, 2 when each has its own.
        case parallel(norms: Int)
    }

    public enum Positions: Sendable, Hashable {
        /// Rotary embeddings: no parameters, applied inside attention.
        case rotary
        /// A learned table of `count` positions.
        case learned(count: Int)
        /// ALiBi: a fixed per-head bias on the scores (BLOOM).
        case alibi
        /// T5's bucketed relative-position bias, learned in each stack's first layer.
        case relative(buckets: Int)
    }

    /// What one layer's attention attends to.
    public enum Attention: Sendable, Hashable {
        case full
        /// The last `window` positions only: its KV cache stops growing there.
        case sliding(window: Int)
    }

    /// One layer's feed-forward block.
    public enum FeedForward: Sendable, Hashable {
        case dense(intermediate: Int)
        case moe
    }

    /// A mixture-of-experts block (Mixtral, Qwen-MoE, DeepSeek, gpt-oss).
    public struct MoE: Sendable, Hashable {
        public var experts: Int
        public var topK: Int
        /// Each routed expert's intermediate size.
        public var intermediate: Int
        /// The shared experts' total intermediate size (0: none), always active.
        public var sharedIntermediate: Int = 0
        /// A sigmoid gate on the shared expert's output (Qwen2-MoE).
        public var sharedGate = false
        /// Biases on the router and on every expert projection (gpt-oss).
        public var routerBias = false
        public var expertBias = false
        /// A per-expert score-correction bias on the router (DeepSeek-V3 `noaux_tc`).
        public var scoreBias = false
    }

    /// Multi-head latent attention (DeepSeek-V2/V3): K and V compressed to a
    /// `kvLoraRank` latent plus a shared `ropeDim` key, which is all the cache holds.
    public struct MLA: Sendable, Hashable {
        /// nil: queries project directly from the hidden state (DeepSeek-V2-Lite).
        public var qLoraRank: Int?
        public var kvLoraRank: Int
        public var nopeDim: Int
        public var ropeDim: Int
        public var valueDim: Int
        /// Elements cached per token per layer.
        public var cachedPerToken: Int { kvLoraRank + ropeDim }
    }

    public var name: String
    /// The config's `model_type` (after unwrapping a multimodal `text_config`).
    public var modelType: String
    public var hidden: Int
    /// Decoder layers (encoder layers for encoders and encoder–decoders).
    public var layers: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    public var intermediate: Int
    public var vocab: Int
    public var tiedEmbeddings: Bool
    public var maxPositions: Int
    public var tokenTypes: Int = 0

    public var norm: Norm = .rms
    public var normPlacement: NormPlacement = .pre
    public var positions: Positions = .rotary
    /// Biases on the Q, K and V projections, on the attention output, and on the MLP.
    public var qkvBias = false
    public var outputBias = false
    public var mlpBias = false
    /// One QKV GEMM (Phi-3, Falcon, BLOOM, GPT-2, GPT-NeoX) rather than three.
    public var fusedQKV = false
    /// One gate-and-up GEMM (Phi-3, gpt-oss experts).
    public var fusedGateUp = false
    /// SwiGLU/GeGLU (gate, up, down) rather than fc1, activation, fc2.
    public var gatedMLP = true
    /// RMSNorm on each head's queries and keys (Qwen3, Gemma 3).
    public var qkNorm = false
    /// A norm after the embedding (BLOOM, BERT).
    public var embeddingNorm = false
    /// A norm before the LM head.
    public var finalNorm = true
    /// OPT's word_embed_proj_dim when it differs from hidden (project_in/out).
    public var embeddingProjection: Int?
    /// Per-layer attention span and feed-forward kind (count = layers).
    public var layerAttention: [Attention] = []
    public var layerFeedForward: [FeedForward] = []
    public var moe: MoE?
    public var mla: MLA?
    /// No decode step, a pooler on top (BERT, RoBERTa).
    public var encoderOnly = false
    public var pooler = false
    /// Encoder–decoder (T5): the decoder's layer count; `layers` is the encoder's.
    public var decoderLayers: Int?
    /// T5 v1.1's gated-GELU feed-forward.
    public var gatedEncoderDecoder = false
    /// What the reader noticed but did not model (a `quantization_config`), for the CLI to print.
    public var warnings: [Diagnostic] = []

    public init(name: String, modelType: String, hidden: Int, layers: Int, heads: Int, kvHeads: Int, headDim: Int,
                intermediate: Int, vocab: Int, tiedEmbeddings: Bool, maxPositions: Int) {
        self.name = name
        self.modelType = modelType
        self.hidden = hidden
        self.layers = layers
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.intermediate = intermediate
        self.vocab = vocab
        self.tiedEmbeddings = tiedEmbeddings
        self.maxPositions = maxPositions
        self.layerAttention = Array(repeating: .full, count: layers)
        self.layerFeedForward = Array(repeating: .dense(intermediate: intermediate), count: layers)
    }

    /// Reads `path` with the family its `model_type` names; every missing or
    /// malformed field is a positioned `Diagnostic`, and an unknown
    /// `model_type` lists exactly the supported ones.
    public static func load(_ path: String) throws -> TransformerConfig {
        let reader = try HFConfigReader(path: path)
        return try ModelFamilies.configure(reader, defaultName: defaultName(forConfigAt: path))
    }
}
