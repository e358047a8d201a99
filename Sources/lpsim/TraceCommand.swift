import ArgumentParser
import Documents
import Foundation
import Hardware
import Workload

/// `lpsim trace …`: workload generators, importers and summaries.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Generate, import, convert and summarise workload traces.",
        subcommands: [TransformerTrace.self, CNNTrace.self, ImportTrace.self, SweepTrace.self, SummaryTrace.self]
    )
}

/// Where a generated trace goes: a file (.yaml or .jsonl, written atomically) or standard output.
struct TraceOutput: ParsableArguments {
    @Option(name: .shortAndLong, help: "Write to FILE (.yaml or .jsonl); standard output (YAML) if omitted.")
    var output: String?

    func write(_ trace: Trace) throws {
        guard let output else { print(TraceWriter.yaml(trace), terminator: ""); return }
        switch TraceFormat(path: output) {
        case .yaml?: try writeAtomically(TraceWriter.yaml(trace), to: output)
        case .jsonLines?: try writeAtomically(TraceWriter.jsonLines(trace), to: output)
        default: throw CommandLineError(message: "--output must end in .yaml or .jsonl, got '\(output)'")
        }
    }
}

/// The command line that produced a trace, recorded in it.
func commandLine() -> String {
    (["lpsim"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
}

struct TransformerTrace: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transformer",
        abstract: "A transformer's prefill or decode step from a Hugging Face config.json.")

    @Option(help: "A Hugging Face config.json.") var config: String
    @Option(help: "prefill or decode.") var phase: String = "prefill"
    @Option(help: "Sequences in the batch.") var batch = 1
    @Option(help: "Prompt length (prefill; an encoder-decoder's encoder length at decode too).") var prompt = 2048
    @Option(help: "Position of the decoded token (decode).") var position = 2048
    @OptionGroup var output: TraceOutput

    func run() throws {
        try reportingErrors {
            guard let phase = TransformerGenerator.Phase(rawValue: phase) else {
                throw CommandLineError(message: "--phase must be prefill or decode, got '\(self.phase)'")
            }
            guard (1...1 << 20).contains(batch), (1...1 << 24).contains(prompt), (0...1 << 24).contains(position) else {
                throw CommandLineError(message: "--batch must be 1…2^20, --prompt 1…2^24, --position 0…2^24")
            }
            let generator = TransformerGenerator(config: try TransformerConfig.load(config), phase: phase, batch: batch,
                                                 length: phase == .prefill ? prompt : position, encoderLength: prompt)
            try output.write(try generator.trace(command: commandLine()))
        }
    }
}

struct CNNTrace: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cnn", abstract: "A built-in CNN: resnet18, resnet50, mobilenet_v2.")

    @Option(help: "resnet18, resnet50 or mobilenet_v2.") var model: String
    @Option(help: "Images in the batch.") var batch = 1
    @Option(help: "Input resolution.") var resolution = 224
    @OptionGroup var output: TraceOutput

    func run() throws {
        try reportingErrors {
            guard let cnn = CNNModel(rawValue: model) else {
                throw CommandLineError(message: "unknown model '\(model)'; expected \(CNNModel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1...65536).contains(batch), (32...8192).contains(resolution) else {
                throw CommandLineError(message: "--batch must be 1…65536 and --resolution 32…8192")
            }
            try output.write(cnn.trace(batch: batch, resolution: resolution, command: commandLine()))
        }
    }
}

struct ImportTrace: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import",
        abstract: "Read a trace in any form (SCALE-Sim CSV, YAML, JSON Lines, ONNX) and write it as YAML or JSON Lines.",
        discussion: "An ONNX model keeps the formats its quantization chose; see docs/onnx-import.md.")

    @Argument(help: "The trace to read.") var file: String
    @Flag(help: "Read a SCALE-Sim CSV as GEMM rows (name, M, N, K), as SCALE-Sim's -i gemm does; without it the first row's width decides.")
    var gemm = false
    @OptionGroup var output: TraceOutput
    @OptionGroup var onnx: ONNXOptions

    func run() throws {
        try reportingErrors {
            var trace = gemm && TraceFormat(path: file) == .scaleSimCSV
                ? try ScaleSimImporter.load(file, gemm: true) : try WorkloadInput.load(file, plan: nil, onnx: onnx)
            if trace.generatedBy == nil { trace.generatedBy = commandLine() }
            try output.write(trace)
        }
    }
}

struct SweepTrace: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sweep",
        abstract: "A GEMM shape sweep: every M × N × K from the given lists.")

    @Option(help: "Comma-separated M values.") var m = "1,16,128,1024,4096"
    @Option(help: "Comma-separated N values.") var n = "1024,4096,8192"
    @Option(help: "Comma-separated K values.") var k = "1024,4096,8192"
    @OptionGroup var output: TraceOutput

    func run() throws {
        try reportingErrors {
            func list(_ text: String, _ name: String) throws -> [Int] {
                let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                    throw CommandLineError(message: "--\(name) must be a comma-separated list of positive integers, got '\(text)'")
                }
                return values.map { $0! }
            }
            var ops: [Op] = []
            for mm in try list(m, "m") { for nn in try list(n, "n") { for kk in try list(k, "k") {
                ops.append(Op(name: "gemm_\(mm)x\(nn)x\(kk)", kind: .gemm, dims: ["m": mm, "n": nn, "k": kk]))
            } } }
            try output.write(Trace(name: "GEMM shape sweep", source: "lpsim", generatedBy: commandLine(), ops: ops))
        }
    }
}

struct SummaryTrace: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary",
        abstract: "MACs, parameters and bytes per role and per format of a trace under a precision plan.")

    @Argument(help: "The trace.") var file: String
    @Option(help: "A built-in plan name or a plan file (default: bf16; for an ONNX model, 'model').") var precision: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var onnx: ONNXOptions

    func run() throws {
        try reportingErrors {
            let plan = try PrecisionPlan.load(precision ?? WorkloadInput.defaultPlan(for: file))
            var summary = TraceSummary()
            var header = Trace(name: file, ops: [])
            try WorkloadInput.stream(file, plan: plan.name, onnx: onnx, header: { header = $0 }) { op in
                do throws(ShapeError) { try summary.add(op, plan: plan) } catch {
                    throw Diagnostic(file: file, message: "op '\(op.name)': \(error.message)")
                }
            }
            let roles = OperandRole.allCases.filter { summary.bytesByRole[$0] != nil }
            if json {
                print(JSON.object([
                    ("name", .string(header.name)), ("precision", .string(plan.name)), ("ops", .number(Double(summary.ops))),
                    ("macs", .number(Double(summary.macs))), ("parameters", .number(Double(summary.parameters))),
                    ("active_parameters", .number(Double(summary.activeParameters))),
                    ("other_ops", .number(Double(summary.otherOps))),
                    ("bytes_by_role", .object(roles.map { ($0.rawValue, .number(summary.bytesByRole[$0]!)) })),
                    ("bytes_by_format", .object(summary.bytesByFormat.keys.sorted().map { ($0, .number(summary.bytesByFormat[$0]!)) })),
                ]).rendered())
                return
            }
            print("\(header.name) under \(plan.name)")
            print("ops: \(summary.ops)   MACs: \(String(sci: Double(summary.macs)))   "
                  + "parameters: \(String(sci: Double(summary.parameters)))   "
                  + "active parameters: \(String(sci: Double(summary.activeParameters)))   "
                  + "other ops: \(String(sci: Double(summary.otherOps)))")
            print(TextTable(header: ["role", "bytes"], rows: roles.map { [$0.rawValue, formatBytes(summary.bytesByRole[$0]!)] }).rendered())
            print(TextTable(header: ["format", "bytes"], rows: summary.bytesByFormat.keys.sorted().map { [$0, formatBytes(summary.bytesByFormat[$0]!)] }).rendered())
        }
    }
}
