import Documents

/// A JSON value with ordered object keys, so that output is byte-for-byte
/// deterministic. Non-finite numbers are written as null.
enum JSON {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    /// An array whose items are made one at a time as it is rendered, so
    /// that a million op results are never held as JSON values at once.
    case items(count: Int, item: (Int) -> JSON)

    /// The value as indented text: objects and arrays one entry per line.
    func rendered(indent: Int = 0) -> String {
        var out = ""
        render(into: &out, indent: indent)
        return out
    }

    /// Appends the rendering to `out` (a `String`, or a `ChunkedWriter`
    /// that writes a large document out as it is produced).
    func render<Out: TextOutputStream>(into out: inout Out, indent: Int = 0) {
        func entries(_ count: Int, open: String, close: String, _ entry: (Int) -> Void) {
            if count == 0 { out.write(open); out.write(close); return }
            let pad = String(repeating: "  ", count: indent + 1)
            out.write(open)
            for i in 0..<count {
                out.write(i == 0 ? "\n" : ",\n")
                out.write(pad)
                entry(i)
            }
            out.write("\n")
            out.write(String(pad.dropLast(2)))
            out.write(close)
        }
        switch self {
        case .null: out.write("null")
        case .bool(let b): out.write(b ? "true" : "false")
        case .number(let x): out.write(JSON.numberText(x))
        case .string(let s): writeJSONQuoted(s, to: &out)
        case .array(let items): entries(items.count, open: "[", close: "]") { items[$0].render(into: &out, indent: indent + 1) }
        case .items(let count, let item): entries(count, open: "[", close: "]") { item($0).render(into: &out, indent: indent + 1) }
        case .object(let fields):
            entries(fields.count, open: "{", close: "}") {
                writeJSONQuoted(fields[$0].0, to: &out)
                out.write(": ")
                fields[$0].1.render(into: &out, indent: indent + 1)
            }
        }
    }

    /// A number as JSON text: integers without a fraction (every integral double below 2^63 in magnitude,
    /// so a count of 10^17 MACs stays an integer, not `1e+17`), others as the shortest decimal that
    /// round-trips, non-finite values as null.
    static func numberText(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        return decimalText(x)
    }
}
