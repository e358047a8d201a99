/// The one number grammar of every lpsim reader — YAML scalars, JSON Lines
/// (both its fast and its general path), SCALE-Sim CSV cells, config.json and
/// a saved comparison's JSON — so that a number means the same in each.
///
/// - An integer is written with digits only, an optional leading `-`, and no
///   leading zero (`0`, `-12`, `4096`): JSON's integer spelling. `1e5`,
///   `100000.0`, `+5`, `0x10`, `1_000` and `007` are not integers, and a
///   quoted `"64"` is a string. Integers are exact to the full Int64 range
///   (2^53 + 1 stays 2^53 + 1); beyond it they are refused, never rounded.
/// - A real is JSON's number spelling (`-?int(.digits)?([eE][+-]?digits)?`)
///   and must be finite as a Double: `1e400` is refused, not read as inf.
///
/// docs/errors.md states the rule; the readers' messages quote it.
public enum NumberGrammar {
    public enum Integer: Equatable, Sendable {
        case value(Int)
        /// Spelled as an integer but outside Int64.
        case outOfRange
        /// Not an integer spelling (maybe a real, maybe not a number).
        case notAnInteger
    }

    /// The hint every "expected an integer" message ends with.
    public static let integerRule = "integers are written with digits only, e.g. 4096"

    /// Parses `bytes` as an integer under the grammar above.
    @inlinable public static func integer<C: Collection>(_ bytes: C) -> Integer where C.Element == UInt8 {
        var i = bytes.startIndex
        guard i != bytes.endIndex else { return .notAnInteger }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") { negative = true; i = bytes.index(after: i) }
        guard i != bytes.endIndex else { return .notAnInteger }
        let first = i
        // Accumulated negatively: -9223372036854775808 fits, its magnitude does not.
        var value = 0, overflow = false
        while i != bytes.endIndex {
            let b = bytes[i]
            guard b >= 0x30, b <= 0x39 else { return .notAnInteger }
            if !overflow {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.subtractingReportingOverflow(Int(b - 0x30))
                if o1 || o2 { overflow = true } else { value = s }
            }
            i = bytes.index(after: i)
        }
        if bytes[first] == 0x30 && bytes.index(after: first) != bytes.endIndex { return .notAnInteger }
        if overflow { return .outOfRange }
        if negative { return .value(value) }
        guard value != .min else { return .outOfRange }
        return .value(-value)
    }

    public static func integer(_ text: String) -> Integer { integer(Array(text.utf8)) }

    /// Whether `bytes` is a real in JSON's spelling (see the type's comment).
    public static func isRealSpelling<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var i = bytes.startIndex
        func digits() -> Int {
            var n = 0
            while i != bytes.endIndex, bytes[i] >= 0x30, bytes[i] <= 0x39 { i = bytes.index(after: i); n += 1 }
            return n
        }
        if i != bytes.endIndex, bytes[i] == UInt8(ascii: "-") { i = bytes.index(after: i) }
        let intStart = i
        let intDigits = digits()
        guard intDigits > 0 else { return false }
        if intDigits > 1 && bytes[intStart] == 0x30 { return false }
        if i != bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
            i = bytes.index(after: i)
            guard digits() > 0 else { return false }
        }
        if i != bytes.endIndex, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i = bytes.index(after: i)
            if i != bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i = bytes.index(after: i) }
            guard digits() > 0 else { return false }
        }
        return i == bytes.endIndex
    }

    public enum Real: Equatable, Sendable {
        case value(Double)
        /// Well spelled but beyond the largest finite Double (`1e400`).
        case outOfRange
        case notANumber
    }

    /// Parses `text` as a finite real under the grammar above.
    public static func real(_ text: String) -> Real {
        guard isRealSpelling(Array(text.utf8)), let value = Double(text) else { return .notANumber }
        return value.isFinite ? .value(value) : .outOfRange
    }
}

/// `text` quoted for a message: at most `limit` characters, the rest
/// elided with its length, so a 10 MB bad token never becomes a 20 MB message.
public func quotedToken(_ text: some StringProtocol, limit: Int = 80) -> String {
    var count = 0
    var end = text.startIndex
    while end != text.endIndex, count < limit { end = text.index(after: end); count += 1 }
    if end == text.endIndex { return "'\(text)'" }
    return "'\(text[..<end])…' (\(text.utf8.count) bytes)"
}
