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
        try stream { header, emit in
            header(trace)
            for (index, op) in trace.ops.enumerated() { try emit(op, index) }
        }
    }

    /// Writes a trace that `produce` hands over piecewise: its header (to
    /// `header`, before the first op) and its ops one at a time (to `emit`,
    /// with their index). Each op is checked as `validate` would check it,
    /// then written, so memory holds one op and nothing is written that
    /// validate rejects (a file, written atomically, is then not written at all).
    func stream(_ produce: (_ header: (Trace) -> Void, _ emit: (Op, Int) throws -> Void) throws -> Void) throws {
        let format: TraceFormat
        if let output {
            switch TraceFormat(path: output) {
            case .yaml?: format = .yaml
            case .jsonLines?: format = .jsonLines
            // A device or FIFO (`/dev/stdout`, `/dev/null`) gets YAML, as standard output does.
            case _ where isStreamTarget(output): format = .yaml
            default: throw CommandLineError(message: "--output must end in .yaml or .jsonl, got \(quotedToken(output))")
            }
        } else {
            format = .yaml
        }
        let name = output ?? "<standard output>"
        let body: (inout ChunkedWriter) throws -> Void = { out in
            var pending: Trace?, count = 0
            try produce({ pending = $0 }) { op, index in
                if count == 0 { TraceWriter.writeHeader(pending ?? Trace(name: name, ops: []), format: format, to: &out) }
                try TraceWriter.writeOp(op, index: index, format: format, output: name, to: &out)
                count += 1
                // A YAML trace is read back whole: one over the reader's limit would be refused by validate.
                if format == .yaml, output != nil, out.total > maximumYAMLBytes {
                    throw Diagnostic(file: name, message: "the YAML trace would exceed \(maximumYAMLBytes) bytes, more than "
                                     + "lpsim reads back; write it as .jsonl instead")
                }
            }
            if count == 0 { throw Diagnostic(file: name, message: "the trace has no ops; nothing is written") }
        }
        if let output { try writeAtomically(to: output, body) } else { try writeStandardOutput(body) }
    }
}

/// The command line that produced a trace or report, recorded in it, each
/// argument quoted as a shell reads it back (`shellQuoted`): one line that re-runs as given.
func commandLine() -> String {
    (["lpsim"] + CommandLine.arguments.dropFirst().map(shellQuoted)).joined(separator: " ")
}

struct TransformerTrace: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transformer",
        abstract: "A transformer's prefill or decode step from a Hugging Face config.json.")

    @Option(help: "A Hugging Face config.json.") var config: String
    @Option(help: "prefill or decode.") var phase: String = "prefill"
    @Option(help: "Sequences in the batch.") var batch = 1
    // Optional, so that a length flag the phase does not read can be told from its default (a warning).
    @Option(name: .customLong("prompt"),
            help: ArgumentHelp("Prompt length (prefill; an encoder-decoder's encoder length at decode too; a warning "
                               + "elsewhere). (default: \(TransformerTrace.defaultLength))", valueName: "prompt"))
    var promptOption: Int?
    @Option(name: .customLong("position"),
            help: ArgumentHelp("Position of the decoded token (decode; a warning at prefill). "
                               + "(default: \(TransformerTrace.defaultLength))", valueName: "position"))
    var positionOption: Int?
    @OptionGroup var output: TraceOutput

    static let defaultLength = 2048
    var prompt: Int { promptOption ?? Self.defaultLength }
    var position: Int { positionOption ?? Self.defaultLength }

    func run() throws {
        try reportingErrors {
            guard let phase = TransformerGenerator.Phase(rawValue: phase) else {
                throw CommandLineError(message: "--phase must be prefill or decode, got '\(self.phase)'")
            }
            guard (1...1 << 20).contains(batch), (1...1 << 24).contains(prompt), (0...1 << 24).contains(position) else {
                throw CommandLineError(message: "--batch must be 1…2^20, --prompt 1…2^24, --position 0…2^24")
            }
            let c = try TransformerConfig.load(config)
            var stderr = StandardError()
            for w in c.warnings { print(w, to: &stderr) }
            for w in ignoredLengthWarnings(phase: phase, encoderDecoder: c.decoderLayers != nil)
                + [contextLengthWarning(c, phase: phase)].compactMap({ $0 }) {
                print("<command line>: warning: \(w)", to: &stderr)
            }
            // The generator multiplies these sizes in Int: they must leave room (checked, not trapped).
            var product = batch, overflow = false
            for factor in [max(prompt, position) + 1, max(c.hidden, c.intermediate, c.vocab, c.maxPositions, c.heads * c.headDim),
                           max(c.heads, c.kvHeads, 1), 4] {
                let (p, o) = product.multipliedReportingOverflow(by: factor)
                product = p
                overflow = overflow || o
            }
            if overflow {
                throw Diagnostic(file: config, message: "the shapes of this config at --batch \(batch) and length "
                                 + "\(phase == .prefill ? prompt : position) overflow 64 bits; nothing is written")
            }
            let generator = TransformerGenerator(config: c, phase: phase, batch: batch,
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
            // A SCALE-Sim CSV read as GEMMs and an ONNX model are read whole; any other trace is
            // streamed op by op: a 10 M-op JSON Lines trace converts in the memory validate needs.
            if (gemm && TraceFormat(path: file) == .scaleSimCSV) || WorkloadInput.isONNX(file) {
                var trace = gemm && TraceFormat(path: file) == .scaleSimCSV
                    ? try ScaleSimImporter.load(file, gemm: true) : try WorkloadInput.load(file, plan: nil, onnx: onnx)
                if trace.generatedBy == nil { trace.generatedBy = commandLine() }
                try output.write(trace)
                return
            }
            try checkInputFile(file)
            try output.stream { header, emit in
                var index = 0
                try TraceReader.stream(file, header: { trace in
                    var trace = trace
                    if trace.generatedBy == nil { trace.generatedBy = commandLine() }
                    header(trace)
                }, op: { op in
                    try emit(op, index)
                    index += 1
                })
            }
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
                let items = try commaList(text, option: name)
                let values = items.map { item -> Int? in
                    guard case .value(let v) = NumberGrammar.integer(item), v >= 1 else { return nil }
                    return v
                }
                guard values.allSatisfy({ $0 != nil }) else {
                    throw CommandLineError(message: "--\(name) must be a comma-separated list of positive integers, got \(quotedToken(text))")
                }
                return values.map { $0! }
            }
            let ms = try list(m, "m"), ns = try list(n, "n"), ks = try list(k, "k")
            // The cross product is bounded, and streamed: never held whole.
            let limit = 1 << 20
            let (mn, o1) = ms.count.multipliedReportingOverflow(by: ns.count)
            let (count, o2) = mn.multipliedReportingOverflow(by: ks.count)
            guard !o1, !o2, count <= limit else {
                throw CommandLineError(message: "--m × --n × --k gives \(ms.count) × \(ns.count) × \(ks.count) shapes; at most \(limit) are written")
            }
            try output.stream { header, emit in
                header(Trace(name: "GEMM shape sweep", source: "lpsim", generatedBy: commandLine(), ops: []))
                var index = 0
                for mm in ms { for nn in ns { for kk in ks {
                    try emit(Op(name: "gemm_\(mm)x\(nn)x\(kk)", kind: .gemm, dims: ["m": mm, "n": nn, "k": kk]), index)
                    index += 1
                } } }
            }
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

/// Whether `path` is a character device, FIFO or socket (links followed).
func isStreamTarget(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else { return false }
    let type = info.st_mode & S_IFMT
    return type == S_IFCHR || type == S_IFIFO || type == S_IFSOCK
}
