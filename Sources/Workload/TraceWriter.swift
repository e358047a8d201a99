import Documents
import Foundation

/// Writes traces deterministically: keys in a fixed order, one op per line
/// in JSON Lines.
public enum TraceWriter {
    /// The op's fields in canonical order: name, kind, dimensions, repeat, formats, block size, sparsity.
    static func fields(_ op: Op) -> [(String, String)] {
        var out: [(String, String)] = [("name", quoted(op.name)), ("kind", quoted(op.kind.rawValue))]
        let (required, optional) = op.kind.dimensions
        for key in required { out.append((key.rawValue, String(op.shape[key] ?? 0))) }
        for (key, defaultValue) in optional
        where op.shape[key] != defaultValue && !(key == .kvHeads && op.shape[key] == op.shape[.heads]) {
            out.append((key.rawValue, String(op.shape[key] ?? 0)))
        }
        if op.repeatCount != 1 { out.append(("repeat", String(op.repeatCount))) }
        return out
    }

    static func quoted(_ s: String) -> String { jsonQuoted(s) }

    static func formatsObject(_ op: Op) -> String? {
        guard !op.formats.isEmpty else { return nil }
        let roles = op.formats.keys.sorted()
        return "{" + roles.map { "\(quoted($0.rawValue)): \(quoted(op.formats[$0]!.name))" }.joined(separator: ", ")
            + "}"
    }

    static func extras(_ op: Op) -> [(String, String)] {
        var out: [(String, String)] = []
        if let f = formatsObject(op) { out.append(("formats", f)) }
        if let b = op.blockSize { out.append(("block_size", String(b))) }
        if let s = op.structuredSparsity, !s.isDense { out.append(("sparsity", quoted(s.description))) }
        else if op.sparse24 { out.append(("sparsity", quoted("2:4"))) }
        return out
    }

    /// The header's keys and values (values already quoted).
    static func header(_ trace: Trace) -> [(String, String)] {
        var out = [("name", quoted(trace.name))]
        if let s = trace.source { out.append(("source", quoted(s))) }
        if let g = trace.generatedBy { out.append(("generated_by", quoted(g))) }
        return out
    }

    /// YAML: a header and `ops:` as flow mappings, one per line.
    public static func yaml(_ trace: Trace) -> String {
        var out = header(trace).map { "\($0.0): \($0.1)\n" }.joined() + "ops:\n"
        for op in trace.ops {
            out += "  - {" + (fields(op) + extras(op)).map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}\n"
        }
        return out
    }

    /// JSON Lines: a header line, then one op object per line.
    public static func jsonLines(_ trace: Trace) -> String {
        var out = "{" + ([("lpsim_trace", "1")] + header(trace)).map { "\(quoted($0.0)): \($0.1)" }
            .joined(separator: ", ") + "}\n"
        for op in trace.ops {
            out += "{" + (fields(op) + extras(op)).map { "\(quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}\n"
        }
        return out
    }
}
