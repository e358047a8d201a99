import Documents
import Foundation

extension TraceWriter {
    /// The header of a trace in `format` (YAML up to `ops:`, or the JSON Lines
    /// header line), for writers that then append ops one at a time.
    public static func writeHeader(_ trace: Trace, format: TraceFormat, to out: inout ChunkedWriter) {
        switch format {
        case .jsonLines:
            out.write("{" + ([("lpsim_trace", "1")] + header(trace)).map { "\(quoted($0.0)): \($0.1)" }
                .joined(separator: ", ") + "}\n")
        default:
            out.write(header(trace).map { "\($0.0): \($0.1)\n" }.joined() + "ops:\n")
        }
    }

    /// One op in `format`, as `yaml(_:)` and `jsonLines(_:)` write it, after
    /// `check(_:index:output:)`: nothing is written that validate rejects.
    public static func writeOp(_ op: Op, index: Int, format: TraceFormat, output: String,
                               to out: inout ChunkedWriter) throws {
        let all = fields(op) + extras(op)
        try check(op, fields: all, index: index, output: output)
        switch format {
        case .jsonLines:
            out.write("{")
            for (i, field) in all.enumerated() {
                if i > 0 { out.write(", ") }
                writeJSONQuoted(field.0, to: &out)
                out.write(": ")
                out.write(field.1)
            }
            out.write("}\n")
        default:
            out.write("  - {")
            for (i, field) in all.enumerated() {
                if i > 0 { out.write(", ") }
                out.write(field.0)
                out.write(": ")
                out.write(field.1)
            }
            out.write("}\n")
        }
    }

    /// Checks `op` exactly as `validate` will check it once written: its fields
    /// as written go through the same decoder (`OpDecoder`), so a generator
    /// never writes a trace its own `validate` rejects.
    ///
    /// - Throws: the decoder's message, naming the op and `output`.
    public static func check(_ op: Op, index: Int, output: String) throws {
        try check(op, fields: fields(op) + extras(op), index: index, output: output)
    }

    static func check(_ op: Op, fields: [(String, String)], index: Int, output: String) throws {
        let record = WrittenOpRecord(fields: fields, op: op, output: output, index: index)
        do { _ = try OpDecoder.decode(record, index: index) } catch let d as Diagnostic {
            throw Diagnostic(file: output, keyPath: "ops[\(index)]" + (d.keyPath.isEmpty ? "" : ".\(d.keyPath)"),
                             message: "op '\(op.name)' would be written although validate rejects it: \(d.message)")
        }
    }
}

/// An op as a writer is about to write it: its fields as the text they will be.
struct WrittenOpRecord: OpRecord {
    let fields: [(String, String)]
    let op: Op
    let output: String
    let index: Int

    var keys: [String] { fields.map(\.0) }
    func has(_ key: String) -> Bool { fields.contains { $0.0 == key } }
    func value(_ key: String) -> String? { fields.first { $0.0 == key }?.1 }

    func string(_ key: String) throws -> String {
        switch key {
        case "name": return op.name
        case "kind": return op.kind.rawValue
        case "sparsity": return op.structuredSparsity.map { $0.isDense ? "dense" : $0.description }
            ?? (op.sparse24 ? "2:4" : "dense")
        default: throw error(at: key, "expected a string")
        }
    }

    func integer(_ key: String) throws -> Int {
        guard let text = value(key), case .value(let v) = NumberGrammar.integer(text) else {
            throw error(at: key, "expected an integer")
        }
        return v
    }

    func formatEntries() throws -> [(role: String, format: String, error: (String) -> Diagnostic)] {
        op.formats.keys.sorted().map { role in
            (role.rawValue, op.formats[role]!.name, { self.error(at: "formats.\(role.rawValue)", $0) })
        }
    }

    func error(at key: String?, _ message: String) -> Diagnostic {
        Diagnostic(file: output, keyPath: key ?? "", message: message)
    }
}
