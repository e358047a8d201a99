import Foundation
import Testing

/// The errors a user meets with real checkpoints: a model too big for the
/// device, a decode step of an encoder, an unsupported model_type.
@Suite("lpsim with Hugging Face models: capacity, encoders, unknown types")
struct ModelCapacityCommandTests {
    func scratch() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-capacity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    @Test("Llama-3.1-405B in bf16 on one H100: an error naming HBM, ≈ 811 GB needed, 80 GB there")
    func tooBig() throws {
        let d = try scratch()
        defer { try? FileManager.default.removeItem(at: d) }
        let trace = d.appendingPathComponent("405b.jsonl").path
        let g = try LPSimProcess.run(["trace", "transformer", "--config", "workloads/configs/llama-3.1-405b/config.json",
                                      "--phase", "decode", "--position", "2048", "-o", trace])
        #expect(g.status == 0, "\(g.stderr)")
        let r = try LPSimProcess.run(["simulate", "--hardware", "hardware/nvidia-h100-sxm5.yaml", "--workload", trace])
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(r.stderr.contains("error: the workload does not fit"), "\(r.stderr)")
        #expect(r.stderr.contains("(HBM) needs 812.8 GB (weights 811.7 GB"), "\(r.stderr)")
        #expect(r.stderr.contains("but holds 80.0 GB"), "\(r.stderr)")
        let allowed = try LPSimProcess.run(["simulate", "--hardware", "hardware/nvidia-h100-sxm5.yaml", "--workload", trace,
                                            "--allow-overflow", "--json"])
        #expect(allowed.status == 0)
        #expect(allowed.stdout.contains("\"fits\": false") || allowed.stdout.contains("\"fits\":false"), "\(allowed.stdout.prefix(200))")
        let compare = try LPSimProcess.run(["compare", "--hardware", "hardware/nvidia-h100-sxm5.yaml", "--workload", trace,
                                            "--precisions", "bf16", "-o", d.appendingPathComponent("r.md").path])
        #expect(compare.status == 1 && compare.stderr.contains("does not fit"), "\(compare.stderr)")
        #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("r.md").path))
    }

    @Test("Mixtral-8x7B batch-1 decode in FP8 fits an H100 and takes at least its active weights / bandwidth")
    func mixtral() throws {
        let d = try scratch()
        defer { try? FileManager.default.removeItem(at: d) }
        let trace = d.appendingPathComponent("mixtral.jsonl").path
        _ = try LPSimProcess.run(["trace", "transformer", "--config", "workloads/configs/mixtral-8x7b/config.json",
                                  "--phase", "decode", "--position", "2048", "-o", trace])
        let s = try LPSimProcess.run(["trace", "summary", trace, "--precision", "fp8", "--json"])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as? [String: Any])
        #expect(abs((summary["parameters"] as! Double) / 46.7e9 - 1) < 0.01)
        #expect(abs((summary["active_parameters"] as! Double) / 12.9e9 - 1) < 0.02)
        let weightBytes = try #require((summary["bytes_by_role"] as? [String: Double])?["weight"])
        let r = try LPSimProcess.run(["simulate", "--hardware", "hardware/nvidia-h100-sxm5.yaml", "--workload", trace,
                                      "--precision", "fp8", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let seconds = try #require((result["totals"] as? [String: Any])?["seconds"] as? Double)
        // H100 SXM5 HBM3: 3.35 TB/s (hardware/nvidia-h100-sxm5.yaml, datasheet).
        #expect(seconds >= weightBytes / 3.35e12, "\(seconds) s for \(weightBytes) B")
    }

    @Test("BERT has no decode step: an error that says why")
    func encoderDecode() throws {
        let r = try LPSimProcess.run(["trace", "transformer", "--config", "workloads/configs/bert-base-uncased/config.json",
                                      "--phase", "decode"])
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(r.stderr.contains("is an encoder (bert)") && r.stderr.contains("has no decode step"), "\(r.stderr)")
    }

    @Test("an unknown model_type lists exactly the supported ones")
    func unknownType() throws {
        let r = try LPSimProcess.run(["trace", "transformer", "--config", "Tests/WorkloadTests/Bad/config-unknown-model.json"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("config-unknown-model.json:2:17: error: model_type: unsupported model_type 'mamba'; "
                                  + "expected one of bert, bloom, deepseek_v2, deepseek_v3, falcon, gemma, gemma2, gemma3, "
                                  + "gemma3_text, gpt2, gpt_neox, gpt_oss, llama, mistral, mixtral, opt, phi3, qwen2, "
                                  + "qwen2_moe, qwen3, qwen3_moe, roberta, t5"), "\(r.stderr)")
    }

    @Test("a comparison report states total and active parameters")
    func reportParameters() throws {
        let d = try scratch()
        defer { try? FileManager.default.removeItem(at: d) }
        let report = d.appendingPathComponent("mixtral.md").path
        let r = try LPSimProcess.run(["compare", "--hardware", "hardware/nvidia-h200-sxm.yaml",
                                      "--workload", "workloads/mixtral-8x7b-decode-b32-2048.yaml",
                                      "--precisions", "fp8", "-o", report])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        #expect(text.contains("Parameters: 46.7 B total, 12.9 B active per token."))
    }

    @Test("a plan's kv_cache format halves the cache bytes and shortens a long-context decode")
    func kvCacheFormat() throws {
        func kv(_ plan: String) throws -> Double {
            let r = try LPSimProcess.run(["trace", "summary", "workloads/llama-3-8b-decode-2048.yaml", "--precision", plan,
                                          "--json"])
            let s = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            return try #require((s["bytes_by_role"] as? [String: Double])?["kv_cache"])
        }
        // 32 layers × 2049 positions × 8 KV heads × 128 × (K and V): 2 bytes each in BF16, 1 in FP8.
        #expect(try kv("fp8") == 32 * 2049 * 1024 * 2 * 2)
        #expect(try kv("workloads/plans/fp8-kv-cache.yaml") == 32 * 2049 * 1024 * 2)
    }

    @Test("trace summary prints total and active parameters in text too")
    func summaryText() throws {
        let r = try LPSimProcess.run(["trace", "summary", "workloads/llama-3-8b-decode-2048.yaml"])
        #expect(r.status == 0 && r.stdout.contains("active parameters: 8.03e+09"), "\(r.stdout)")
    }
}
