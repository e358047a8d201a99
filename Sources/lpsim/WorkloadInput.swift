import ArgumentParser
import Documents
import Foundation
import Formats
import ONNXImport
import Workload

/// The options of an ONNX workload, shared by `trace import`, `trace summary`, `simulate` and `compare`.
struct ONNXOptions: ParsableArguments {
    @Option(name: .customLong("dim"), help: "NAME=VALUE: a dynamic dimension of an ONNX model (repeat for several).")
    var dims: [String] = []
    @Flag(help: "ONNX: skip ops the importer does not know (counted on standard error) instead of failing.")
    var skipUnknown = false

    func importerOptions() throws -> ONNXImporter.Options {
        var values: [String: Int] = [:]
        for item in dims {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let v = Int(parts[1]), v >= 1, v <= 1 << 30 else {
                throw CommandLineError(message: "--dim must be NAME=VALUE with VALUE 1…2^30, got '\(item)'")
            }
            guard values[parts[0]] == nil else { throw CommandLineError(message: "--dim \(parts[0]) is given twice") }
            values[parts[0]] = v
        }
        return ONNXImporter.Options(dims: values, skipUnknown: skipUnknown)
    }
}

/// Reads a workload of any kind: the trace files `TraceReader` knows, or an ONNX model.
enum WorkloadInput {
    /// The plan that means "the trace's own formats" (`--precision model`).
    static let modelPlan = "model"

    static func isONNX(_ path: String) -> Bool { (path as NSString).pathExtension.lowercased() == "onnx" }

    /// The default plan for a workload: the model's own formats for ONNX, bf16 otherwise (as before).
    static func defaultPlan(for path: String) -> String { isONNX(path) ? modelPlan : "bf16" }

    /// The default plan for a workload on a device: int8 on a SCALE-Sim `.cfg`, whose words are one byte
    /// (`single_layer_sim.run` fixes `word_size = 1`), so that a `.cfg` and a topology give SCALE-Sim's
    /// cycles and access counts without a `--precision` (under bf16 the two-byte words halve what each
    /// SRAM holds and double each SRAM port's bytes); otherwise as `defaultPlan(for:)`. A YAML file that
    /// `extends:` a `.cfg` keeps the general default: it may describe any datapath.
    static func defaultPlan(for path: String, hardware: String) -> String {
        !isONNX(path) && (hardware as NSString).pathExtension.lowercased() == "cfg" ? "int8" : defaultPlan(for: path)
    }

    /// The imported model (ONNX only), with what it skipped reported on standard error.
    static func importONNX(_ path: String, _ options: ONNXOptions) throws -> ONNXImport {
        let model = try ONNXImporter.load(path, options: try options.importerOptions())
        let s = model.summary
        var stderr = StandardError()
        var note = "\(path): note: \(model.ops.count) ops imported, \(s.freeOps) free ops, \(s.copyOps) copy ops"
        if !s.skipped.isEmpty {
            note += "; skipped \(s.skipped.values.reduce(0, +)) unknown ops ("
                + s.skipped.keys.sorted().map { "\($0) ×\(s.skipped[$0]!)" }.joined(separator: ", ") + ")"
        }
        if s.causalMasks > 0 { note += "; \(s.causalMasks) causal attention mask\(s.causalMasks == 1 ? "" : "s") read" }
        print(note, to: &stderr)
        for softmax in s.unreadMasks.keys.sorted() {
            print("\(path): warning: node '\(softmax)': attention \(s.unreadMasks[softmax]!); imported without "
                  + "causal (every query-key pair counted): if the mask is causal, write the trace with "
                  + "`lpsim trace import` and add `causal: 1` to its attention ops", to: &stderr)
        }
        return model
    }

    /// The whole trace. An ONNX model keeps its own formats under the `model` plan (or with no plan);
    /// any other plan replaces them, and the ops that only priced its quantization are left out.
    static func load(_ path: String, plan: String?, onnx: ONNXOptions) throws -> Trace {
        guard isONNX(path) else { return try TraceReader.load(path) }
        return try importONNX(path, onnx).trace(keepingQuantization: plan == nil || plan == modelPlan)
    }

    /// The weight format that holds most of a trace's matrix-product parameters, under the `model` plan:
    /// the figure a report's "bits / weight" and weight QSNR describe for an imported model. An unsigned
    /// grid with a zero point (`uint4_g32_fp32` of MatMulNBits) is reported as its signed twin: it has the
    /// same levels, and the catalog's group formats are symmetric (absmax), which would clip an unsigned grid at 0.
    static func dominantWeightFormat(_ trace: Trace) -> NumberFormat {
        let format = mostParameters(trace)
        guard format.name.hasPrefix("uint"), let signed = try? FormatCatalog.format(named: String(format.name.dropFirst()))
        else { return format }
        return signed
    }

    static func mostParameters(_ trace: Trace) -> NumberFormat {
        let plan = PrecisionPlan.named[modelPlan]!
        var byFormat: [String: (format: NumberFormat, parameters: Int64)] = [:]
        for op in trace.ops where op.kind.isMatrixProduct {
            guard let c = try? op.counts(), c.parameters > 0 else { continue }
            let format = plan.formats(for: op)[.weight] ?? "bf16"
            byFormat[format.name, default: (format, 0)].parameters += c.parameters * Int64(op.repeatCount)
        }
        return byFormat.max {
            $0.value.parameters != $1.value.parameters ? $0.value.parameters < $1.value.parameters : $0.key > $1.key
        }?.value.format ?? "bf16"
    }

    /// Op by op, as `TraceReader.stream` (an ONNX model is imported whole first; its ops are few).
    static func stream(_ path: String, plan: String?, onnx: ONNXOptions, header: (Trace) -> Void, op: (Op) throws -> Void) throws {
        guard isONNX(path) else { return try TraceReader.stream(path, header: header, op: op) }
        let trace = try load(path, plan: plan, onnx: onnx)
        header(Trace(name: trace.name, source: trace.source, generatedBy: trace.generatedBy, ops: []))
        try trace.ops.forEach(op)
    }
}
