import Foundation
import Testing

/// `.onnx` workloads through the CLI: `trace import`, `simulate` (the model's own formats by default,
/// `--precision` replacing them) and `compare` with the `model` plan as the baseline.
@Suite("ONNX workloads on the command line")
struct ONNXCommandTests {
    static let fixtures = "Tests/ONNXImportTests/Fixtures/"

    @Test("trace import writes the quantizer's formats; the YAML reads back with the same MACs")
    func importTrace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-onnx-cli-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = dir.appendingPathComponent("t.yaml").path
        let r = try LPSimProcess.run(["trace", "import", Self.fixtures + "transformer_qdq.onnx", "--dim", "seq=16", "-o", yaml])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("ops imported"))
        let text = try String(contentsOfFile: yaml, encoding: .utf8)
        #expect(text.contains(#"{name: "q_proj", kind: "gemm", m: 16, n: 64, k: 64, formats: {"weight": "int8", "input": "uint8", "output": "uint8", "accumulator": "int32"}}"#))
        #expect(text.contains(#"kind: "attention_qk""#))
        let summary = try LPSimProcess.run(["trace", "summary", yaml, "--json"])
        #expect(summary.stdout.contains(#""macs": 819200"#), "\(summary.stdout)")
    }

    @Test("simulate uses the model's formats without --precision and the plan's with it")
    func simulate() throws {
        let own = try LPSimProcess.run(["simulate", "--hardware", "hardware/nvidia-a100-sxm4-80gb.yaml",
                                        "--workload", Self.fixtures + "cnn_qdq.onnx", "--csv"])
        #expect(own.status == 0, "\(own.stderr)")
        #expect(own.stdout.contains("conv1,conv2d,1,int8,"), "\(own.stdout)")
        #expect(own.stdout.contains("conv1.zp_correction,"))
        let plan = try LPSimProcess.run(["simulate", "--hardware", "hardware/nvidia-a100-sxm4-80gb.yaml",
                                         "--workload", Self.fixtures + "cnn_qdq.onnx", "--precision", "bf16", "--csv"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("conv1,conv2d,1,bf16,"))
        #expect(!plan.stdout.contains("zp_correction"))
    }

    @Test("compare against bf16 and int4 has the model's own quantization as its baseline")
    func compare() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-onnx-cmp-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("r.md").path
        let r = try LPSimProcess.run(["compare", "--hardware", "hardware/nvidia-a100-sxm4-80gb.yaml", "--workload",
                                      Self.fixtures + "transformer_qdq.onnx", "--dim", "seq=16",
                                      "--precisions", "model,bf16,int4", "--output", report])
        #expect(r.status == 0, "\(r.stderr)")
        let md = try String(contentsOfFile: report, encoding: .utf8)
        #expect(md.contains("Baseline: **model**"))
        // The model's row: int8 weights (8 bits per weight), not the bf16 of the plan's defaults.
        #expect(md.contains("| NVIDIA A100 SXM4 80GB | model |") && md.contains("| 1.00× | 1.00× | 8.00 |"), "\(md)")
    }

    @Test("the model row's output QSNR uses the graph's own formats: simulate's figure for that op, not bf16's")
    func compareOutputQSNR() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-onnx-oq-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = Self.fixtures + "transformer_qdq.onnx", a100 = "hardware/nvidia-a100-sxm4-80gb.yaml"
        let r = try LPSimProcess.run(["compare", "--hardware", a100, "--workload", model, "--dim", "seq=16",
                                      "--precisions", "model,bf16", "--output", dir.appendingPathComponent("r.md").path,
                                      "--json", dir.appendingPathComponent("r.json").path])
        #expect(r.status == 0, "\(r.stderr)")
        let data = try Data(contentsOf: dir.appendingPathComponent("r.json"))
        let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entries = try #require(json["entries"] as? [[String: Any]])
        func output(_ plan: String) -> Double? {
            entries.first { $0["precision"] as? String == plan }?["outputQSNRDecibels"] as? Double
        }
        let own = try #require(output("model")), bf16 = try #require(output("bf16"))
        // simulate (per op, the graph's formats) on the op with the most MACs (fc1, K = 64, a power of two).
        let sim = try LPSimProcess.run(["simulate", "--hardware", a100, "--workload", model, "--dim", "seq=16", "--json"])
        let ops = try #require((try JSONSerialization.jsonObject(with: Data(sim.stdout.utf8)) as? [String: Any])?["ops"]
                               as? [[String: Any]])
        let most = try #require(ops.max { ($0["macs"] as? Double ?? 0) < ($1["macs"] as? Double ?? 0) })
        #expect(most["output_qsnr_db"] as? Double == own, "compare \(own), simulate \(most)")
        // Before the fix the model row was computed from bf16 and equalled the bf16 row.
        #expect(abs(own - bf16) > 6, "model \(own) dB, bf16 \(bf16) dB")
    }

    @Test("bad ONNX input exits non-zero with FILE: error: naming the problem")
    func badInput() throws {
        let r = try LPSimProcess.run(["trace", "import", Self.fixtures + "transformer.onnx"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("transformer.onnx: error: graph input 'x' has the dynamic dimension 'seq'"), "\(r.stderr)")
        let u = try LPSimProcess.run(["trace", "import", Self.fixtures + "unknown_op.onnx", "--skip-unknown"])
        #expect(u.status == 0 && u.stderr.contains("skipped 1 unknown ops (com.example:Frobnicate ×1)"), "\(u.stderr)")
    }
}
