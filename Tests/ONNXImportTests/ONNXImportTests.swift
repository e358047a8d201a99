import Documents
import Foundation
import Formats
@testable import ONNXImport
import Testing
import Workload

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

/// Tests/ONNXImportTests/Fixtures/expectations.json, written by scripts/onnx/make_test_models.py from
/// the ONNX graphs (shapes as ONNX Runtime computes them running each model; formats from the
/// quantization parameters' types), not from lpsim.
struct Expectations: Decodable {
    struct Node: Decodable {
        var name: String
        var op_type: String
        var macs: Int64
        var weight_elements: Int64?
        var weight: String?
        var input: String?
        var output: String?
        /// For a masked attention product: whether ONNX Runtime's mask values hide exactly the keys
        /// after each query (its MACs then count the visible pairs only).
        var causal: Bool?
    }
    struct Model: Decodable {
        var nodes: [Node]
        var total_macs: Int64
        var dim_values: [String: Int]
        var op_types: [String]
    }
    var models: [String: Model]

    static let shared: Expectations = {
        let data = try! Data(contentsOf: fixtures.appendingPathComponent("expectations.json"))
        return try! JSONDecoder().decode(Expectations.self, from: data)
    }()
}

@Suite("ONNX import") struct ONNXImportTests {
    static let models = Expectations.shared.models.keys.sorted()

    @Test("each committed model's matrix products have the independent MACs, weight elements and formats", arguments: models)
    func matchesExpectation(_ model: String) throws {
        let expected = try #require(Expectations.shared.models[model])
        let imported = try ONNXImporter.load(fixture(model + ".onnx"), options: .init(dims: expected.dim_values))
        let trace = imported.trace(keepingQuantization: true)
        let matrix = trace.ops.filter { $0.kind.isMatrixProduct }
        #expect(matrix.count == expected.nodes.count, "\(model): \(matrix.map(\.name)) vs \(expected.nodes.map(\.name))")
        var total: Int64 = 0
        for op in matrix { total += try op.counts().macs * Int64(op.repeatCount) }
        #expect(total == expected.total_macs, "\(model): total MACs")
        for node in expected.nodes {
            let op = try #require(matrix.first { $0.name == node.name }, "\(model): no op for node \(node.name)")
            let counts = try op.counts()
            #expect(counts.macs * Int64(op.repeatCount) == node.macs, "\(model) \(node.name): MACs")
            if let w = node.weight_elements {
                #expect(counts.weightElements * Int64(op.repeatCount) == w, "\(model) \(node.name): weight elements")
            }
            for (role, want) in [(op.formats[.weight], node.weight), (op.formats[.input], node.input), (op.formats[.output], node.output)] {
                // The script spells formats as ONNX names them; the catalog resolves aliases (e4m3fn = fp8_e4m3).
                let canonical = want.map { (try? FormatCatalog.format(named: $0).name) ?? $0 }
                #expect(role?.name == canonical,
                        "\(model) \(node.name): format \(role?.name ?? "none") vs \(canonical ?? "none")")
            }
            if let causal = node.causal {
                #expect(op.shape[.causal] == (causal ? 1 : 0), "\(model) \(node.name): causal")
            }
        }
    }

    /// Trilu, Range comparisons and a triangular constant are read as causal; a padding mask from a
    /// graph input is reported as unread.
    @Test("causal masks as exporters build them are read; a padding mask is reported as unread")
    func masks() throws {
        let imported = try ONNXImporter.load(fixture("decoder_masks.onnx"), options: .init(dims: ["seq": 16]))
        #expect(imported.summary.causalMasks == 3)
        #expect(imported.summary.unreadMasks.keys.sorted() == ["padding.softmax"])
        let reason = try #require(imported.summary.unreadMasks["padding.softmax"])
        #expect(reason.contains("padding_mask") && reason.contains("graph input 'attention_mask'"), "\(reason)")
        let attention = imported.ops.filter { $0.kind == .attentionQK || $0.kind == .attentionPV }
        #expect(attention.map(\.name) == ["llama.qk", "llama.pv", "arange.qk", "arange.pv", "gpt2.qk", "gpt2.pv",
                                          "padding.qk", "padding.pv"])
        #expect(attention.map { $0.shape[.causal] } == [1, 1, 1, 1, 1, 1, 0, 0])
    }

    @Test("a triangular constant is causal in either polarity; a full or a banded one is not")
    func triangular() {
        let keep: [Double] = [1, 0, 0, 1, 1, 0, 1, 1, 1], additive = keep.map { $0 == 1 ? 0 : -Double.infinity }
        #expect(ONNXImporter.isTriangular(keep, [1, 1, 3, 3]))
        #expect(ONNXImporter.isTriangular(additive, [3, 3]))
        #expect(ONNXImporter.isTriangular(keep.map { 1 - $0 }, [3, 3]))
        #expect(!ONNXImporter.isTriangular([Double](repeating: 1, count: 9), [3, 3]))
        #expect(!ONNXImporter.isTriangular([1, 0, 0, 1, 1, 0, 0, 1, 1], [3, 3]), "a band of width 2")
        #expect(!ONNXImporter.isTriangular(keep, [9]), "a vector")
        // Queries the last rows: 2 queries over 3 keys see keys ≤ 1 and ≤ 2.
        #expect(ONNXImporter.isTriangular([1, 1, 0, 1, 1, 1], [2, 3]))
        #expect(!ONNXImporter.isTriangular([1, 0, 0, 1, 1, 0], [2, 3]), "queries taken as the first rows")
    }

    @Test("ResNet-18 as ONNX (weights in external data, not read) has the MACs and parameters of `trace cnn --model resnet18`")
    func resnet18() throws {
        let imported = try ONNXImporter.load(fixture("resnet18.onnx")).trace(keepingQuantization: true)
        let builtIn = CNNModel.resnet18.trace(batch: 1)
        let plan = PrecisionPlan.named["bf16"]!
        let a = try TraceSummary.of(imported, plan: plan), b = try TraceSummary.of(builtIn, plan: plan)
        #expect(a.macs == b.macs && a.macs == 1_814_073_344)
        #expect(a.parameters == b.parameters)
        #expect(imported.ops.filter { $0.kind == .conv2d }.count == builtIn.ops.filter { $0.kind == .conv2d }.count)
    }

    @Test("attention built of MatMul-Softmax-MatMul becomes attention_qk and attention_pv")
    func attention() throws {
        for model in ["transformer", "transformer_qdq", "transformer_qop", "transformer_int4"] {
            let trace = try ONNXImporter.load(fixture(model + ".onnx"), options: .init(dims: ["seq": 16])).trace(keepingQuantization: true)
            let qk = try #require(trace.ops.first { $0.kind == .attentionQK }, "\(model)")
            let pv = try #require(trace.ops.first { $0.kind == .attentionPV }, "\(model)")
            for op in [qk, pv] {
                #expect(op.shape[.heads] == 4 && op.shape[.seqQ] == 16 && op.shape[.seqKV] == 16 && op.shape[.headDim] == 16, "\(model) \(op.name)")
            }
        }
    }

    @Test("asymmetric zero points add the correction ops; a plan that overrides drops them and the formats")
    func zeroPointsAndOverride() throws {
        let model = try ONNXImporter.load(fixture("transformer_qop.onnx"), options: .init(dims: ["seq": 16]))
        let own = model.trace(keepingQuantization: true)
        // qk: uint8 × uint8, both zero points non-zero: Σ over Q's rows and K's columns, two terms per score.
        let sums = try #require(own.ops.first { $0.name == "qk_quant.zp_sums" })
        #expect(sums.shape[.elements] == 4 * (16 * 16 + 16 * 16))
        let correction = try #require(own.ops.first { $0.name == "qk_quant.zp_correction" })
        #expect(correction.shape[.elements] == 4 * 16 * 16 && correction.shape[.flops] == 4)
        let plain = model.trace(keepingQuantization: false)
        #expect(plain.ops.allSatisfy { $0.formats.isEmpty })
        #expect(!plain.ops.contains { $0.name.hasSuffix(".zp_correction") || $0.kind == .quantize || $0.kind == .dequantize })
        #expect(plain.ops.count < own.ops.count)
    }

    @Test("a --dim naming no dynamic dimension of the model is an error listing those it has")
    func unknownDimension() throws {
        #expect(throws: Diagnostic.self) {
            _ = try ONNXImporter.load(fixture("transformer.onnx"), options: .init(dims: ["seq": 16, "seqq": 99]))
        }
        do {
            _ = try ONNXImporter.load(fixture("cnn.onnx"), options: .init(dims: ["seq": 16]))
            Issue.record("cnn.onnx has no dynamic dimension, yet --dim seq was accepted")
        } catch {
            #expect("\(error)".contains("--dim seq: the model has no dynamic dimension of that name (it has none)"))
        }
    }

    @Test("a dynamic dimension needs --dim, and the error names it")
    func missingDimension() throws {
        let error = try #require(throws: Diagnostic.self) { try ONNXImporter.load(fixture("transformer.onnx")) }
        #expect(error.message.contains("'seq'") && error.message.contains("--dim seq=VALUE"), "\(error)")
        #expect(error.file.hasSuffix("transformer.onnx"))
    }

    @Test("an unknown op is an error naming node, op type and domain; --skip-unknown counts it")
    func unknownOp() throws {
        let error = try #require(throws: Diagnostic.self) { try ONNXImporter.load(fixture("unknown_op.onnx")) }
        #expect(error.description.contains("node 'mystery' (Frobnicate, domain com.example)"), "\(error)")
        let skipped = try ONNXImporter.load(fixture("unknown_op.onnx"), options: .init(skipUnknown: true))
        #expect(skipped.summary.skipped == ["com.example:Frobnicate": 1])
        #expect(skipped.ops.map(\.name) == ["mm", "relu"])
    }

    @Test("bad input: an unknown opset, an uninferable shape, a truncated file, a file that is not ONNX")
    func badInput() throws {
        let opset = try #require(throws: Diagnostic.self) { try ONNXImporter.load(fixture("bad_opset.onnx")) }
        #expect(opset.description.contains("bad_opset.onnx: error: unknown opset: ai.onnx opset 99"), "\(opset)")
        let shape = try #require(throws: Diagnostic.self) { try ONNXImporter.load(fixture("bad_shape.onnx")) }
        #expect(shape.description.contains("node 'reshape_from_input' (Reshape, domain ai.onnx)")
                && shape.description.contains("must be a constant"), "\(shape)")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lpsim-onnx-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let whole = try Data(contentsOf: URL(fileURLWithPath: fixture("cnn.onnx")))
        for cut in [whole.count / 2, whole.count - 1, 40, 3] {
            let path = directory.appendingPathComponent("cut\(cut).onnx").path
            try whole.prefix(cut).write(to: URL(fileURLWithPath: path))
            let e = try #require(throws: Diagnostic.self) { try ONNXImporter.load(path) }
            #expect(e.file == path && e.message.hasPrefix("not an ONNX model"), "\(e)")
        }
        for (name, bytes) in [("text.onnx", Array("hello, this is not a model\n".utf8)), ("empty.onnx", []),
                              ("zeros.onnx", [UInt8](repeating: 0, count: 64))] {
            let path = directory.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let e = try #require(throws: Diagnostic.self) { try ONNXImporter.load(path) }
            #expect(e.file == path && e.message.hasPrefix("not an ONNX model"), "\(e)")
        }
    }

    @Test("weights are not held: the structure decoded from a 200 KB model is a few KB")
    func payloadsStripped() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture("transformer.onnx")))
        let structure = try data.withUnsafeBytes { bytes in
            var stripper = WireStripper(bytes: bytes)
            return try stripper.model()
        }
        #expect(data.count > 190_000)
        #expect(structure.count < 8_000, "\(structure.count) bytes kept")
        let model = try Onnx_ModelProto(serializedBytes: structure)
        #expect(model.graph.initializer.count == 14)
        // The small shape vectors keep their values (Reshape needs them); the weights keep only their dims.
        let shape = try #require(model.graph.initializer.first { $0.name == "heads_shape" })
        #expect(shape.numericValues == [0, -1, 4, 16])
        let wq = try #require(model.graph.initializer.first { $0.name == "wq" })
        #expect(wq.dims == [64, 64] && wq.rawData.isEmpty)
    }
}
