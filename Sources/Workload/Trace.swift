import Documents
import Foundation

/// An ordered list of ops: the workload a simulation replays.
public struct Trace: Sendable, Hashable {
    public var name: String
    public var source: String?
    /// The command that generated the trace, when a generator wrote it.
    public var generatedBy: String?
    public var ops: [Op]

    public init(name: String, source: String? = nil, generatedBy: String? = nil, ops: [Op]) {
        self.name = name
        self.source = source
        self.generatedBy = generatedBy
        self.ops = ops
    }
}

/// The file forms a trace can take, chosen by extension.
public enum TraceFormat: String, Sendable {
    case yaml, jsonLines = "jsonl", scaleSimCSV = "csv"

    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "yaml", "yml": self = .yaml
        case "jsonl", "ndjson": self = .jsonLines
        case "csv": self = .scaleSimCSV
        default: return nil
        }
    }
}

public enum TraceReader {
    /// The most ops a command holds in memory (a whole trace, or one result
    /// per op): 2^21, about 700 MB with their results (`compare`, `dataflow`).
    /// Larger traces stream through `validate`, `trace summary`, `trace import`
    /// and `simulate` without limit.
    public static let maximumHeldOps = 1 << 21

    /// The error for a trace longer than `maximumHeldOps`, at its first op too many.
    public static func tooManyOps(_ path: String, command: String) -> Diagnostic {
        Diagnostic(file: path, message: "more than \(maximumHeldOps) ops: \(command) holds every op in memory "
                   + "and stops there "
                   + "(validate, trace summary, trace import and simulate stream any length)")
    }

    /// Reads a whole trace, of at most `maximumHeldOps` ops (`command` names
    /// the command that holds it in the error past that).
    public static func load(_ path: String, command: String = "this command") throws -> Trace {
        var ops: [Op] = []
        var header = Trace(name: (path as NSString).lastPathComponent, ops: [])
        try stream(path, header: { header = $0 }, op: {
            guard ops.count < maximumHeldOps else { throw tooManyOps(path, command: command) }
            ops.append($0)
        })
        header.ops = ops
        return header
    }

    /// Reads a trace op by op; JSON Lines files are streamed in chunks, so
    /// memory holds one line at a time, not the file.
    public static func stream(_ path: String, header: (Trace) -> Void, op: (Op) throws -> Void) throws {
        guard let format = TraceFormat(path: path) else {
            throw Diagnostic(file: path, message: "unknown trace file type: expected .yaml, .jsonl or a SCALE-Sim .csv")
        }
        // An empty trace is an error in every format: it would simulate to 0 cycles and look fine.
        var count = 0
        let counted: (Op) throws -> Void = { count += 1; try op($0) }
        switch format {
        case .yaml: try readYAML(path, header: header, op: counted)
        case .jsonLines: try readJSONLines(path, header: header, op: counted)
        case .scaleSimCSV:
            let trace = try ScaleSimImporter.load(path)
            // An empty trace is an error in every format: it would simulate to a misleading zero.
            guard !trace.ops.isEmpty else {
                throw Diagnostic(file: path, line: 2, column: 1, message: "empty trace: no layers after the header")
            }
            header(trace)
            try trace.ops.forEach(counted)
        }
        if count == 0 { throw Diagnostic(file: path, line: 1, column: 1, message: "empty trace: no ops") }
    }

    static let traceKeys = ["name", "source", "generated_by", "ops"]

    static func readYAML(_ path: String, header: (Trace) -> Void, op: (Op) throws -> Void) throws {
        let document = try YAMLDocument(path: path)
        let top = try document.root.mapping(allowedKeys: traceKeys)
        header(Trace(name: try top["name"]?.name() ?? (path as NSString).lastPathComponent,
                     source: try top["source"]?.string(), generatedBy: try top["generated_by"]?.string(), ops: []))
        let items = try top.required("ops").sequence()
        if items.isEmpty { throw try top.required("ops").error("empty trace: 'ops' lists no ops") }
        for (index, item) in items.enumerated() {
            try op(try OpDecoder.decode(YAMLOpRecord(mapping: try item.mapping()), index: index))
        }
    }
}
