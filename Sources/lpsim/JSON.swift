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

    /// The value as indented text: objects and arrays one entry per line.
    func rendered(indent: Int = 0) -> String {
        var out = ""
        render(into: &out, indent: indent)
        return out
    }

    /// Appends the rendering to `out`: one growing buffer rather than a
    /// string per nested value (a simulation of a million ops is a
    /// million objects).
    func render(into out: inout String, indent: Int = 0) {
        func pad(_ level: Int) { for _ in 0..<level { out += "  " } }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let x): out += JSON.numberText(x)
        case .string(let s): out += JSON.quote(s)
        case .array(let items): JSON.renderArray(count: items.count, item: { items[$0] }, into: &out, indent: indent)
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out += ",\n" }
                pad(indent + 1)
                out += JSON.quote(key)
                out += ": "
                value.render(into: &out, indent: indent + 1)
            }
            out += "\n"
            pad(indent)
            out += "}"
        }
    }

    static func renderArray(count: Int, item: (Int) -> JSON, into out: inout String, indent: Int) {
        if count == 0 { out += "[]"; return }
        out += "[\n"
        for i in 0..<count {
            if i > 0 { out += ",\n" }
            for _ in 0...indent { out += "  " }
            item(i).render(into: &out, indent: indent + 1)
        }
        out += "\n"
        for _ in 0..<indent { out += "  " }
        out += "]"
    }

    /// A number as JSON text: integers without a fraction, others as the
    /// shortest decimal that round-trips, non-finite values as null.
    static func numberText(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded() && x.magnitude < 1e15 { return String(Int64(x)) }
        return x.description
    }

    static func quote(_ s: String) -> String { jsonQuoted(s) }
}
