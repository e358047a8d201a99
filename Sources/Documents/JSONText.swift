/// Appends `s` as a JSON string literal (quotes, backslashes and control
/// characters escaped) to `out`: the one quoting rule every JSON writer in
/// lpsim uses.
@inlinable public func writeJSONQuoted<Out: TextOutputStream>(_ s: String, to out: inout Out) {
    // Most strings (names, kinds, formats, keys) need no escape: written
    // whole rather than scalar by scalar (a JSON result may hold a million names).
    func needsEscape(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }
    if !(s.utf8.withContiguousStorageIfAvailable(needsEscape) ?? needsEscape(s.utf8)) {
        out.write("\"")
        out.write(s)
        out.write("\"")
        return
    }
    var quoted = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": quoted += "\\\""
        case "\\": quoted += "\\\\"
        case "\n": quoted += "\\n"
        case "\r": quoted += "\\r"
        case "\t": quoted += "\\t"
        case _ where scalar.value < 0x20:
            let h = String(scalar.value, radix: 16)
            quoted += "\\u" + String(repeating: "0", count: 4 - h.count) + h
        default: quoted.unicodeScalars.append(scalar)
        }
    }
    out.write(quoted + "\"")
}

/// `s` as a JSON string literal (see `writeJSONQuoted(_:to:)`).
public func jsonQuoted(_ s: String) -> String {
    var out = ""
    writeJSONQuoted(s, to: &out)
    return out
}

/// A finite double as the shortest decimal that reads back as the same double, integral values
/// (below 2^63 in magnitude: counts of MACs, bytes, cycles) without a fraction or exponent: the one
/// number rule of lpsim's JSON and CSV writers.
///
/// - Precondition: `x` is finite (callers write their own null or empty cell otherwise).
public func decimalText(_ x: Double) -> String {
    x == x.rounded() && x.magnitude < 0x1p63 ? String(Int64(x)) : x.description
}
