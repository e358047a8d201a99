import Documents
import Foundation
import Testing
@testable import Workload

/// Each real config.json under workloads/configs against the independent count in its SOURCE file.
@Suite("Hugging Face model families against published parameter counts")
struct ModelFamilyTests {
    /// (fixture, published total, published active or nil, active counted without the embedding table).
    static let published: [(String, Double, Double?, Bool)] = [
        ("bert-base-uncased", 110e6, nil, false), ("gpt2", 124e6, nil, false), ("t5-small", 60e6, nil, false),
        ("llama-2-7b", 6.74e9, nil, false), ("llama-3-8b", 8e9, nil, false), ("llama-3.1-8b", 8e9, nil, false),
        ("llama-3.1-70b", 70e9, nil, false), ("llama-3.1-405b", 405e9, nil, false),
        ("llama-3.2-3b", 3.21e9, nil, false), ("qwen2.5-3b", 3.09e9, nil, false), ("qwen2.5-7b", 7.61e9, nil, false),
        ("qwen3-0.6b", 0.6e9, nil, false), ("qwen3-8b", 8.2e9, nil, false), ("qwen3-32b", 32.8e9, nil, false),
        ("mixtral-8x7b", 46.7e9, 12.9e9, false), ("mixtral-8x22b", 141e9, 39e9, false),
        ("qwen3-30b-a3b", 30.5e9, 3.3e9, false), ("qwen3-235b-a22b", 235e9, 22e9, false),
        ("qwen3-coder-480b-a35b", 480e9, 35e9, false),
        ("deepseek-v3", 671e9, 37e9, false), ("deepseek-r1", 671e9, 37e9, false),
        ("gpt-oss-20b", 20.91e9, 3.61e9, true), ("gpt-oss-120b", 116.83e9, 5.13e9, true),
    ]

    static func summary(_ config: TransformerConfig, _ phase: TransformerGenerator.Phase, batch: Int = 1,
                        length: Int = 128) throws -> TraceSummary {
        try TraceSummary.of(TransformerGenerator(config: config, phase: phase, batch: batch, length: length).trace(),
                            plan: PrecisionPlan.named["bf16"]!)
    }

    @Test("at least 20 real fixtures, each with a SOURCE")
    func corpus() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: path("workloads/configs"))
        #expect(names.count >= 20)
        for name in names {
            #expect(FileManager.default.fileExists(atPath: path("workloads/configs/\(name)/SOURCE")), "\(name)")
            #expect(Self.published.contains { $0.0 == name }, "\(name) has no published count in this test")
        }
    }

    @Test("total within 1%, MoE active within 2% of the published figure", arguments: published)
    func counts(name: String, total: Double, active: Double?, cardLeavesOutEmbedding: Bool) throws {
        let config = try TransformerConfig.load(path("workloads/configs/\(name)/config.json"))
        let s = try Self.summary(config, .prefill)
        #expect(abs(Double(s.parameters) / total - 1) <= 0.01, "\(name): \(s.parameters) vs \(total)")
        if let active {
            let embedding = cardLeavesOutEmbedding ? Double(config.vocab * config.hidden) : 0
            let ours = Double(s.activeParameters) - embedding
            #expect(abs(ours / active - 1) <= 0.02, "\(name) active: \(ours) vs \(active)")
            #expect(s.activeParameters < s.parameters)
        } else {
            #expect(s.activeParameters == s.parameters)
        }
        // A decoder-only model's decode step owns the same parameters as its prefill.
        if !config.encoderOnly && config.decoderLayers == nil {
            #expect(try Self.summary(config, .decode).parameters == s.parameters)
        }
    }

    @Test("every family reads its synthetic fixture and generates prefill and decode (encoders refuse decode)")
    func families() throws {
        let directory = path("Tests/WorkloadTests/Fixtures/families")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }
        var seen = Set<String>()
        for file in files {
            let config = try TransformerConfig.load(directory + "/" + file)
            seen.insert(file.replacingOccurrences(of: ".json", with: ""))
            #expect(try Self.summary(config, .prefill).parameters > 0)
            if config.encoderOnly {
                #expect(throws: Diagnostic.self) { try Self.summary(config, .decode) }
            } else {
                #expect(try Self.summary(config, .decode).macs > 0)
            }
        }
        let real = try FileManager.default.contentsOfDirectory(atPath: path("workloads/configs")).map {
            try TransformerConfig.load(path("workloads/configs/\($0)/config.json")).modelType
        }
        let covered = seen.union(real).union(seen.contains("gemma3") ? ["gemma3_text"] : [])
        #expect(Set(ModelFamilies.supportedTypes).subtracting(covered).isEmpty,
                "no fixture for \(Set(ModelFamilies.supportedTypes).subtracting(covered).sorted())")
    }

    /// keras-hub's preset parameter counts (keras_hub/src/models/<family>/<family>_presets.py, commit
    /// 71453d08f59edc90d276e999319fc51e61cbf82c), counted from the weights it loads: an oracle
    /// independent of lpsim for the synthetic fixtures, which use those checkpoints' sizes.
    static let kerasHub: [(String, Int64, Double)] = [
        ("phi3", 3_821_079_552, 0), ("gemma", 2_506_172_416, 0), ("bloom", 559_214_592, 0),
        ("mistral", 7_241_732_096, 0), ("qwen2_moe", 14_315_784_192, 0),
        // keras-hub's Gemma 3 embedding has 262 144 rows, the Hugging Face config 262 208.
        ("gemma3", 3_880_099_328, 0.001),
    ]

    @Test("synthetic family fixtures against keras-hub's published counts", arguments: kerasHub)
    func kerasHubCounts(name: String, published: Int64, tolerance: Double) throws {
        let config = try TransformerConfig.load(path("Tests/WorkloadTests/Fixtures/families/\(name).json"))
        let ours = try Self.summary(config, .prefill).parameters
        if tolerance == 0 { #expect(ours == published) } else {
            #expect(abs(Double(ours) / Double(published) - 1) <= tolerance, "\(ours) vs \(published)")
        }
    }

    @Test("BLOOM-560M: ALiBi, an embedding LayerNorm, a tied head")
    func bloom() throws {
        let config = try TransformerConfig.load(path("Tests/WorkloadTests/Fixtures/families/bloom.json"))
        let trace = try TransformerGenerator(config: config, phase: .decode, batch: 1, length: 100).trace()
        #expect(trace.ops.contains { $0.name == "layers.attn.alibi" })
        #expect(!trace.ops.contains { $0.name == "embed_positions" })
    }
}

@Suite("Mixture-of-experts and attention variants")
struct MoEAndAttentionTests {
    @Test("distinct experts touched: E·(1 − (1 − k/E)^B), rounded, at decode batch B")
    func touched() {
        for (e, k, b) in [(8, 2, 1), (8, 2, 32), (256, 8, 32), (128, 8, 4), (64, 6, 2048)] {
            let plan = MoEPlan(experts: e, topK: k, tokens: b)
            let expected = Double(e) * (1 - pow(1 - Double(k) / Double(e), Double(b)))
            #expect(plan.touched == min(e, b * k, max(k, Int(expected.rounded()))))
            #expect(plan.rowGroups.reduce(0) { $0 + $1.rows * $1.experts } == b * k, "rows are every routed token")
            #expect(plan.rowGroups.reduce(0) { $0 + $1.experts } == plan.touched)
        }
        #expect(MoEPlan(experts: 8, topK: 2, tokens: 1).touched == 2)
        #expect(MoEPlan(experts: 256, topK: 8, tokens: 32).touched == 163)   // 256·(1 − (31/32)^32) = 163.3
        #expect(MoEPlan(experts: 256, topK: 8, tokens: 2048).touched == 256)  // a prefill touches every expert
    }

    @Test("Mixtral-8x7B at batch 32 reads the expected distinct experts' weights; batch 1 reads two")
    func mixtralTraffic() throws {
        let config = try TransformerConfig.load(path("workloads/configs/mixtral-8x7b/config.json"))
        let perExpert = Int64(3 * 4096 * 14336)
        for (batch, experts) in [(1, 2), (32, 8)] {
            let trace = try TransformerGenerator(config: config, phase: .decode, batch: batch, length: 2048).trace()
            let expertWeights = try trace.ops.filter { $0.kind == .gemm && $0.shape[.experts] ?? 0 > 0 }
                .reduce(Int64(0)) { $0 + (try $1.counts().weightElements) * Int64($1.repeatCount) }
            #expect(expertWeights == perExpert * Int64(experts) * 32)
        }
    }

    @Test("DeepSeek-V3 decode caches the MLA latent: kv_lora_rank + rope dim per token per layer")
    func mlaCache() throws {
        let config = try TransformerConfig.load(path("workloads/configs/deepseek-v3/config.json"))
        let trace = try TransformerGenerator(config: config, phase: .decode, batch: 1, length: 4095).trace()
        let cached = trace.ops.filter { $0.kind.readsKVCache && $0.shape[.kvShared] == 0 }
        #expect(cached.count == 1)
        let qk = try #require(cached.first)
        #expect(try qk.counts().weightElements == 4096 * (512 + 64))
        #expect(qk.repeatCount == 61)
        #expect(512 + 64 < config.heads * 2 * config.headDim)
    }

    @Test("sliding-window layers stop their cache at the window; full layers do not (gpt-oss)")
    func sliding() throws {
        let config = try TransformerConfig.load(path("workloads/configs/gpt-oss-20b/config.json"))
        let trace = try TransformerGenerator(config: config, phase: .decode, batch: 1, length: 8191).trace()
        let full = try #require(trace.ops.first { $0.name == "layers.attn.qk" })
        let window = try #require(trace.ops.first { $0.name == "layers.sliding_attn.qk" })
        #expect(full.shape[.seqKV] == 8192 && window.shape[.seqKV] == 128)
        #expect(full.repeatCount == 12 && window.repeatCount == 12)
    }

    @Test("T5 decode cross-attends to the encoder and appends only to its self-attention cache")
    func t5() throws {
        let config = try TransformerConfig.load(path("workloads/configs/t5-small/config.json"))
        let trace = try TransformerGenerator(config: config, phase: .decode, batch: 2, length: 10, encoderLength: 300).trace()
        let cross = try #require(trace.ops.first { $0.name == "decoder.layers.cross_attn.qk" })
        #expect(cross.shape[.seqKV] == 300 && cross.shape[.seqQ] == 1)
        #expect(trace.ops.filter { $0.name.hasSuffix("kv_cache_append") }.map(\.name) == ["decoder.layers.attn.kv_cache_append"])
    }

    @Test("a kv_cache format in the plan applies to attention's cache operand only")
    func kvCacheRole() throws {
        var plan = PrecisionPlan.named["bf16"]!
        plan.defaults[.kvCache] = "fp8_e4m3"
        let qk = Op(name: "qk", kind: .attentionQK, dims: ["heads": 8, "seq_q": 1, "seq_kv": 10, "head_dim": 64])
        let gemm = Op(name: "g", kind: .gemm, dims: ["m": 1, "n": 8, "k": 8])
        #expect(plan.roleFormats(for: qk).weight == "fp8_e4m3")
        #expect(plan.roleFormats(for: gemm).weight == "bf16")
        #expect(plan.formats(for: qk)[.weight] == "fp8_e4m3")
    }
}
