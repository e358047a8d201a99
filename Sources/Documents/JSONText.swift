/// A string as a JSON string literal (quotes, backslashes and control
/// characters escaped): the one quoting rule every JSON writer in lpsim uses.
public func jsonQuoted(_ s: String) -> String {
    // Most strings (names, kinds, formats) need no escape: quote them whole
    // rather than scalar by scalar (a JSON result may hold a million names).
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
        return "\"" + s + "\""
    }
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let h = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
