/// An argument as a POSIX shell reads it back: bare when it holds only
/// characters no shell treats specially, in single quotes otherwise, and as
/// a bash `$'…'` string when it holds a control character (a newline in a
/// report title), so that a recorded command line stays one line — it is
/// written into YAML comments and Markdown code blocks — and re-runs as given.
///
/// - Postcondition: the result contains no control character; `bash -c
///   "printf %s \(shellQuoted(x))"` prints `x` for any `x` without NUL.
public func shellQuoted(_ argument: String) -> String {
    let plain: (Unicode.Scalar) -> Bool = { s in
        s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "_@%+=:,./-".unicodeScalars.contains(s))
    }
    if !argument.isEmpty, argument.unicodeScalars.allSatisfy(plain) { return argument }
    let control: (Unicode.Scalar) -> Bool = { $0.value < 0x20 || $0.value == 0x7F }
    guard argument.unicodeScalars.contains(where: control) else {
        return "'" + argument.replacingAll("'", with: "'\\''") + "'"
    }
    var out = "$'"
    for s in argument.unicodeScalars {
        switch s {
        case "\\": out += "\\\\"
        case "'": out += "\\'"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case _ where control(s):
            let hex = String(s.value, radix: 16, uppercase: true)
            out += "\\x" + (hex.count < 2 ? "0" : "") + hex
        default: out.unicodeScalars.append(s)
        }
    }
    return out + "'"
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
