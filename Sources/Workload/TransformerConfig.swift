import Documents
import Foundation

/// The hyper-parameters of a transformer, read from a Hugging Face
/// `config.json` (Llama, Mistral, Qwen2, GPT-2 and BERT field names).
public struct TransformerConfig: Sendable, Hashable {
    public enum Architecture: String, Sendable {
        /// Pre-norm decoder, RMSNorm, rotary positions, gated (SwiGLU) MLP, no biases.
        case llama
        /// Pre-norm decoder, LayerNorm, learned positions, GELU MLP, biases everywhere.
        case gpt2
        /// Post-norm encoder, LayerNorm, learned positions and token types, GELU MLP, biases, pooler.
        case bert
    }

    public var name: String
    public var architecture: Architecture
    public var hidden: Int
    public var layers: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    public var intermediate: Int
    public var vocab: Int
    public var tiedEmbeddings: Bool
    public var maxPositions: Int
    public var tokenTypes: Int
    /// Biases on Q, K and V only (Qwen2).
    public var qkvBias: Bool

    /// Reads `path`; every missing or malformed field is a positioned `Diagnostic`.
    public static func load(_ path: String) throws -> TransformerConfig {
        let data = try readInputFile(path, maximumBytes: 16 << 20)
        let bytes = [UInt8](data)
        var scanner = JSONScanner(bytes)
        let value: JSONScanner.Value
        do throws(JSONScanner.Failure) { (value, _) = try scanner.parseDocument() } catch {
            let (line, column) = Self.position(error.offset, in: bytes)
            throw Diagnostic(file: path, line: line, column: column, message: "invalid JSON: \(error.message)")
        }
        guard case .object(let fields) = value else {
            throw Diagnostic(file: path, line: 1, column: 1, message: "expected a JSON object (a Hugging Face config.json)")
        }
        func at(_ offset: Int, _ key: String, _ message: String) -> Diagnostic {
            let (line, column) = Self.position(offset, in: bytes)
            return Diagnostic(file: path, line: line, column: column, keyPath: key, message: message)
        }
        func int(_ keys: [String], default: Int? = nil, minimum: Int = 1) throws -> Int {
            for key in keys {
                guard let field = fields.first(where: { $0.key == key }) else { continue }
                if case .null = field.value, let d = `default` { return d }
                // The shared number grammar (NumberGrammar): digits only, exact to Int64.
                guard case .value(let v)? = field.value.integer else {
                    throw at(field.offset, key, "expected an integer, got \(field.value.kindName); \(NumberGrammar.integerRule)")
                }
                guard v >= minimum, v <= 1 << 40 else { throw at(field.offset, key, "must be \(minimum)…\(1 << 40), got \(v)") }
                return v
            }
            if let d = `default` { return d }
            throw Diagnostic(file: path, line: 1, column: 1, message: "missing '\(keys[0])'" + (keys.count > 1 ? " (or \(keys.dropFirst().joined(separator: ", ")))" : ""))
        }
        func string(_ key: String) -> String? {
            if case .string(let s)? = fields.first(where: { $0.key == key })?.value { return s }
            return nil
        }
        func bool(_ key: String) throws -> Bool? {
            guard let field = fields.first(where: { $0.key == key }) else { return nil }
            guard case .bool(let b) = field.value else { throw at(field.offset, key, "expected true or false") }
            return b
        }
        let modelType = string("model_type") ?? "llama"
        let architecture: Architecture
        switch modelType {
        case "llama", "mistral", "qwen2", "qwen3", "gemma", "mixtral": architecture = .llama
        case "gpt2": architecture = .gpt2
        case "bert", "roberta": architecture = .bert
        default:
            let field = fields.first { $0.key == "model_type" }!
            throw at(field.offset, "model_type", "unsupported model_type '\(modelType)'; expected llama, mistral, qwen2, gpt2 or bert")
        }
        let hidden = try int(["hidden_size", "n_embd", "d_model"])
        let heads = try int(["num_attention_heads", "n_head"])
        guard hidden % heads == 0 || fields.contains(where: { $0.key == "head_dim" }) else {
            let f = fields.first { ["num_attention_heads", "n_head"].contains($0.key) }!
            throw at(f.offset, f.key, "hidden_size \(hidden) is not divisible by num_attention_heads \(heads); give head_dim")
        }
        let kvHeads = try int(["num_key_value_heads"], default: heads)
        guard heads % kvHeads == 0 else {
            let f = fields.first { $0.key == "num_key_value_heads" }!
            throw at(f.offset, "num_key_value_heads", "\(heads) attention heads are not a multiple of \(kvHeads) KV heads")
        }
        return TransformerConfig(
            name: string("_name_or_path") ?? ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent,
            architecture: architecture, hidden: hidden,
            layers: try int(["num_hidden_layers", "n_layer"]), heads: heads, kvHeads: kvHeads,
            headDim: try int(["head_dim"], default: hidden / heads),
            intermediate: try int(["intermediate_size", "n_inner", "ffn_dim"], default: 4 * hidden),
            vocab: try int(["vocab_size"]),
            tiedEmbeddings: try bool("tie_word_embeddings") ?? (architecture != .llama),
            maxPositions: try int(["max_position_embeddings", "n_positions"], default: 2048),
            tokenTypes: try int(["type_vocab_size"], default: architecture == .bert ? 2 : 0, minimum: 0),
            qkvBias: modelType == "qwen2")
    }

    static func position(_ offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
        return (line, String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self).count + 1)
    }
}
