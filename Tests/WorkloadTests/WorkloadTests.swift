import Documents
import Formats
import Foundation
import Hardware
import Testing
@testable import Workload

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

func totals(_ trace: Trace) throws -> TraceSummary { try TraceSummary.of(trace, plan: PrecisionPlan.named["bf16"]!) }

@Suite("Generators against published figures (±2%)")
struct GeneratorTests {
    func close(_ value: Double, _ published: Double, _ what: String) {
        #expect(abs(value / published - 1) <= 0.02, "\(what): \(value) vs \(published)")
    }

    @Test("CNNs: GMACs and parameters per 224×224 image")
    func cnns() throws {
        for (model, gmacs, millions) in [(CNNModel.resnet50, 4.1, 25.6), (.resnet18, 1.8, 11.7), (.mobilenetv2, 0.30, 3.5)] {
            let s = try totals(model.trace(batch: 1))
            close(Double(s.macs) / 1e9, gmacs, "\(model) GMACs")
            close(Double(s.parameters) / 1e6, millions, "\(model) parameters")
        }
        // Exact torchvision parameter counts.
        #expect(try totals(CNNModel.resnet50.trace(batch: 1)).parameters == 25_557_032)
        #expect(try totals(CNNModel.resnet18.trace(batch: 1)).parameters == 11_689_512)
        #expect(try totals(CNNModel.mobilenetv2.trace(batch: 1)).parameters == 3_504_872)
    }

    @Test("BERT-base has 110 M parameters")
    func bert() throws {
        let config = try TransformerConfig.load(path("workloads/configs/bert-base-uncased/config.json"))
        let s = try totals(try TransformerGenerator(config: config, phase: .prefill, batch: 1, length: 128).trace())
        close(Double(s.parameters) / 1e6, 110, "BERT-base parameters")
    }

    @Test("Llama-2-7B: 6.74 B parameters and 2 × 6.7 GFLOP per decoded token before attention")
    func llama() throws {
        let config = try TransformerConfig.load(path("workloads/configs/llama-2-7b/config.json"))
        let decode = try TransformerGenerator(config: config, phase: .decode, batch: 1, length: 2048).trace()
        let s = try totals(decode)
        close(Double(s.parameters) / 1e9, 6.74, "Llama-2-7B parameters")
        let attention = try decode.ops.filter { $0.kind == .attentionQK || $0.kind == .attentionPV }
            .reduce(Int64(0)) { $0 + (try $1.counts().macs) * Int64($1.repeatCount) }
        close(2 * Double(s.macs - attention) / 1e9, 2 * 6.7, "GFLOP per token before attention")
        // The KV cache read per token: 2 (K, V) × 32 layers × 2049 positions × 4096 × 2 bytes.
        let qk = try #require(decode.ops.first { $0.kind == .attentionQK })
        #expect(try qk.counts().weightElements * Int64(qk.repeatCount) == 32 * 2049 * 4096)
    }

    @Test("Llama-3-8B uses grouped-query attention")
    func gqa() throws {
        let config = try TransformerConfig.load(path("workloads/configs/llama-3-8b/config.json"))
        #expect(config.kvHeads == 8)
        let s = try totals(try TransformerGenerator(config: config, phase: .decode, batch: 1, length: 2048).trace())
        #expect(abs(Double(s.parameters) / 8.03e9 - 1) < 0.02)
    }
}

@Suite("Trace files")
struct TraceFileTests {
    @Test("YAML → JSON Lines → YAML keeps every op")
    func roundTrip() throws {
        var trace = CNNModel.mobilenetv2.trace(batch: 2)
        trace.ops[0].formats = [.weight: "int8", .input: "fp8_e4m3"]
        trace.ops[1].blockSize = 32
        trace.ops[2].sparse24 = true
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-roundtrip-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml1 = directory.appendingPathComponent("a.yaml").path, jsonl = directory.appendingPathComponent("b.jsonl").path
        let yaml2 = directory.appendingPathComponent("c.yaml").path
        try writeAtomically(TraceWriter.yaml(trace), to: yaml1)
        let fromYAML = try TraceReader.load(yaml1)
        try writeAtomically(TraceWriter.jsonLines(fromYAML), to: jsonl)
        let fromJSON = try TraceReader.load(jsonl)
        try writeAtomically(TraceWriter.yaml(fromJSON), to: yaml2)
        let back = try TraceReader.load(yaml2)
        #expect(back.ops == trace.ops)
        #expect(back.name == trace.name)
        #expect(try String(contentsOfFile: yaml1, encoding: .utf8) == String(contentsOfFile: yaml2, encoding: .utf8))
    }

    @Test("each kind's dimensions have storage slots of their own", arguments: OpKind.allCases)
    func dimensionSlots(kind: OpKind) {
        let (required, optional) = kind.dimensions
        let keys = required + optional.map(\.0)
        #expect(Set(keys.map(\.slot)).count == keys.count)
        #expect(keys.allSatisfy { $0.slot < Dimensions.slotCount })
        var dims = Dimensions()
        for (i, key) in keys.enumerated() { dims[key] = 1000 + i }
        let op = Op(name: "x", kind: kind, dimensions: dims, given: { _ in true })
        for (i, key) in keys.enumerated() {
            #expect(op.shape[key] == 1000 + i || (op.shape[key] == 1 && key.isFlag))
            #expect(op[key.rawValue] == op.shape[key])
        }
        // A dimension only other kinds take is not in the shape at all (and reads as 0 by name).
        for foreign in DimensionKey.allCases where !kind.takes(foreign) {
            #expect(op.shape[foreign] == nil, "\(kind.rawValue) has no \(foreign.rawValue)")
            #expect(op[foreign.rawValue] == 0)
        }
    }

    @Test("a large JSON Lines trace streams op by op")
    func stream() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-stream-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        var text = "{\"lpsim_trace\": 1, \"name\": \"big\"}\n"
        for i in 0..<20_000 { text += "{\"kind\": \"gemm\", \"m\": \(i % 64 + 1), \"n\": 4096, \"k\": 4096}\n" }
        try writeAtomically(text, to: file)
        var count = 0, macs: Int64 = 0
        try TraceReader.stream(file, header: { #expect($0.name == "big") }) { op in
            count += 1
            macs += try op.counts().macs
        }
        #expect(count == 20_000)
        var expected: Int64 = 0
        for i in 0..<20_000 { expected += Int64(i % 64 + 1) * 4096 * 4096 }
        #expect(macs == expected)
    }

    @Test("SCALE-Sim CSVs import with SCALE-Sim's own shapes (fixtures from scalesim 3.0)",
          arguments: ["resnet18-scalesim", "gemm-scalesim"])
    func scaleSim(name: String) throws {
        let trace = try ScaleSimImporter.load(path("Tests/WorkloadTests/Fixtures/\(name).csv"))
        let data = try Data(contentsOf: URL(fileURLWithPath: path("Tests/WorkloadTests/Fixtures/\(name).expected.json")))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        for op in trace.ops {
            let counts = try op.counts()
            let rows = expected.filter { ($0["name"] as? String)?.hasPrefix(op.name) == true }
            if op.kind == .conv2d && op["groups"] > 1 {
                // SCALE-Sim runs a depthwise layer as one single-channel layer per channel.
                #expect(rows.count == op["c"])
                #expect(rows.reduce(Int64(0)) { $0 + Int64($1["macs"] as! Int) } == counts.macs)
                continue
            }
            let row = try #require(rows.first { $0["name"] as? String == op.name })
            let filters = row["filters"] as! Int, pixels = (row["ofmap_px"] as! Int) / filters
            #expect(Int64(row["macs"] as! Int) == counts.macs, "\(op.name)")
            if op.kind == .conv2d {
                let (p, q) = try op.outputSize()
                #expect(p * q == pixels && op["k"] == filters && op["r"] * op["s"] * op["c"] == row["window"] as! Int, "\(op.name)")
            } else {
                #expect(op["m"] == pixels && op["n"] == filters && op["k"] == row["window"] as! Int, "\(op.name)")
            }
        }
    }
}

@Suite("Precision plans")
struct PlanTests {
    let gemm = Op(name: "layers.mlp.up_proj", kind: .gemm, dims: ["m": 1, "n": 2, "k": 3])
    let qk = Op(name: "layers.attn.qk", kind: .attentionQK, dims: ["heads": 2, "seq_q": 1, "seq_kv": 4, "head_dim": 8])

    @Test("named plans")
    func named() throws {
        for name in ["fp32", "bf16", "fp16", "fp8", "int8", "w4a16", "w4a8", "mxfp8", "mxfp6", "mxfp4", "nvfp4", "bipolar-w3a3"] {
            #expect(PrecisionPlan.named[name] != nil, "\(name)")
        }
        let w4a16 = try PrecisionPlan.load("w4a16")
        #expect(w4a16.formats(for: gemm)[.weight] == "int4_g128")
        #expect(w4a16.formats(for: gemm)[.input] == "fp16")
        #expect(try PrecisionPlan.load("int8").formats(for: qk)[.weight] == "fp16")   // attention stays FP16
        #expect(throws: Diagnostic.self) { try PrecisionPlan.load("int9") }
    }

    @Test("plan files: defaults, trace formats, then overrides by name glob or kind")
    func file() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-plan-\(UUID()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try writeAtomically("""
            name: mixed
            default: {weight: int8, input: int8, accumulator: int32}
            overrides:
              - {name: "layers.mlp.*", formats: {weight: int4}}
              - {kind: attention_qk, formats: {weight: fp8_e4m3, input: fp8_e4m3}}
            """, to: file)
        let plan = try PrecisionPlan.load(file)
        #expect(plan.formats(for: gemm)[.weight] == "int4")
        #expect(plan.formats(for: qk)[.weight] == "fp8_e4m3")
        var explicit = Op(name: "other", kind: .gemm, dims: ["m": 1, "n": 1, "k": 1], formats: [.input: "bf16"])
        #expect(plan.formats(for: explicit)[.input] == "bf16")
        explicit.name = "layers.mlp.down"
        #expect(plan.formats(for: explicit)[.weight] == "int4")
        #expect(glob("layers.*.attn.?k", matches: "layers.mlp.attn.qk"))
        #expect(!glob("layers.*", matches: "lm_head"))
    }
}

@Suite("Bad traces, plans and configs")
struct BadWorkloadTests {
    static let directory = root.appendingPathComponent("Tests/WorkloadTests/Bad")
    static let expectations: [(String, String, String)] = {
        let text = (try? String(contentsOf: directory.appendingPathComponent("expected.txt"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let p = line.split(separator: "|", maxSplits: 2).map(String.init)
            return (p[0], p[1], p[2])
        }
    }()

    @Test("every bad file is listed")
    func corpus() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0 != "expected.txt" }
        #expect(Set(files) == Set(Self.expectations.map(\.0)))
        #expect(files.count >= 30)
    }

    @Test("each is an error at the right line and column", arguments: expectations)
    func diagnosed(file: String, location: String, message: String) {
        let p = Self.directory.appendingPathComponent(file).path
        do {
            if file.hasPrefix("plan-") { _ = try PrecisionPlan.load(p) }
            else if file.hasPrefix("config-") { _ = try TransformerConfig.load(p) }
            else { _ = try TraceReader.load(p) }
            Issue.record("\(file) loaded without error")
        } catch let d as Diagnostic {
            #expect("\(d.line ?? 0):\(d.column ?? 0)" == location, "\(d)")
            #expect(d.description.contains(message), "\(d)")
        } catch {
            Issue.record("\(file): \(error)")
        }
    }
}

@Suite("Oversized inputs")
struct OversizedInputTests {
    @Test("a 50 MB single-line JSON Lines file is refused at line 1, without reading it whole")
    func longLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-long-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        FileManager.default.createFile(atPath: file, contents: Data(repeating: UInt8(ascii: "a"), count: 50 << 20))
        do {
            _ = try TraceReader.load(file)
            Issue.record("a 50 MB line loaded")
        } catch let d as Diagnostic {
            #expect(d.line == 1 && d.column == 1)
            #expect(d.message.contains("longer than 1 MiB"))
        }
    }
}

@Suite("JSON text")
struct JSONTextTests {
    @Test("strings are quoted whole when nothing needs escaping, escaped otherwise")
    func quoting() {
        #expect(jsonQuoted("layers.0.q_proj") == "\"layers.0.q_proj\"")
        #expect(jsonQuoted("") == "\"\"")
        #expect(jsonQuoted("µ-op ×2") == "\"µ-op ×2\"")
        #expect(jsonQuoted("a\"b\\c") == "\"a\\\"b\\\\c\"")
        #expect(jsonQuoted("tab\there\nline\u{1}") == "\"tab\\there\\nline\\u0001\"")
    }
}

@Suite("JSON Lines fast path")
struct FastPathTests {
    /// The general reader's op for one line, or nil where it reports an error.
    func general(_ line: String, index: Int) -> Op? {
        var scanner = JSONScanner(Array(line.utf8))
        guard let (value, _) = try? scanner.parseDocument(), case .object(let fields) = value else { return nil }
        let record = JSONOpRecord(fields: fields, bytes: Array(line.utf8), path: "t.jsonl", line: 1)
        return try? OpDecoder.decode(record, index: index)
    }

    @Test("whatever the fast path accepts, the general reader reads the same (seeded mutations)")
    func agreesWithGeneralReader() {
        let seeds = [
            #"{"name": "q0", "kind": "gemm", "m": 7, "n": 4096, "k": 4096, "formats": {"weight": "int4_g128", "input": "fp16"}}"#,
            #"{"kind": "gemm", "m": 7, "n": 64, "k": 64, "formats": {"weight": "int4_g128", "input": "fp16"}}"#,
            #"{"kind": "conv2d", "c": 64, "h": 56, "w": 56, "k": 64, "r": 3, "s": 3, "padding": 1, "groups": 64}"#,
            #"{"kind": "attention_qk", "heads": 32, "kv_heads": 8, "seq_q": 1, "seq_kv": 2048, "head_dim": 128}"#,
            #"{"kind": "attention_pv", "heads": 8, "seq_q": 64, "seq_kv": 96, "head_dim": 64, "causal": 1}"#,
            #"{"kind": "elementwise", "elements": 4096, "operands": 2, "formats": {"input": "bf16"}, "repeat": 32}"#,
            #"{"kind": "elementwise", "elements": 4096, "formats": {"input": "bf16", "input": "fp8"}}"#,
            #"{"kind": "norm", "rows": 1, "columns": 4096, "block_size": 32, "sparsity": "2:4"}"#,
        ]
        let alphabet = Array(#"{}[]":, 0123456789-.eEabcdfgikmnopqrstuwx_\"#.utf8)
        var rng = SplitMix64(seed: 2026)
        let words = FastJSONOp.Words(), names = FastJSONOp.FormatNames()
        var accepted = 0, checked = 0
        for round in 0..<6000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0..<Int(rng.next() % 3) {   // 0 to 2 byte edits: replace, insert or delete
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                default: bytes.remove(at: at)
                }
            }
            let line = String(decoding: bytes, as: UTF8.self)
            guard Array(line.utf8) == bytes else { continue }
            checked += 1
            var fast: Op?
            _ = bytes.withUnsafeBufferPointer { FastJSONOp.parse($0, index: round, words: words, formatNames: names) { fast = $0 } }
            guard let fast else { continue }
            accepted += 1
            #expect(general(line, index: round) == fast, "\(line)")
        }
        #expect(checked > 5000 && accepted > 1000)
    }
}
