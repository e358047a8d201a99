/// A small, fast, strict JSON reader (RFC 8259) for every JSON input of
/// lpsim — a line of a JSON Lines trace, a config.json, a saved comparison:
/// objects, arrays, strings with every escape (surrogate pairs included),
/// numbers in JSON's spelling (`NumberGrammar`), true/false/null. Every value
/// keeps the byte offset where it starts, for error positions; a duplicate
/// key is an error at the second key.
public struct JSONScanner {
    /// Only the containers are indirect: numbers and strings stay unboxed.
    public enum Value {
        indirect case object([(key: String, keyOffset: Int, value: Value, offset: Int)])
        indirect case array([(value: Value, offset: Int)])
        case string(String)
        case number(Double, text: String)
        case bool(Bool)
        case null
    }

    public struct Failure: Error {
        public var offset: Int
        public var message: String
    }

    let bytes: [UInt8]
    var index = 0
    var depth = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses the whole text as one value (a leading UTF-8 byte order mark is skipped).
    public mutating func parseDocument() throws(Failure) -> (Value, Int) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        skipSpace()
        let start = index
        let value = try parseValue()
        skipSpace()
        guard index == bytes.count else { throw Failure(offset: index, message: "unexpected text after the JSON value") }
        return (value, start)
    }

    public mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D || bytes[index] == 0x0A { index += 1 }
    }

    mutating func parseValue() throws(Failure) -> Value {
        guard index < bytes.count else { throw Failure(offset: index, message: "unexpected end of line: expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try parseNumber()
        }
    }

    mutating func literal(_ word: String) throws(Failure) {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else {
            throw Failure(offset: index, message: "invalid JSON value")
        }
        index += w.count
    }

    mutating func parseObject() throws(Failure) -> Value {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 64 else { throw Failure(offset: index, message: "nesting deeper than 64 levels") }
        index += 1
        var fields: [(key: String, keyOffset: Int, value: Value, offset: Int)] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(fields) }
        while true {
            skipSpace()
            let keyOffset = index
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw Failure(offset: index, message: "expected a quoted key")
            }
            let key = try parseString()
            if fields.contains(where: { $0.key == key }) { throw Failure(offset: keyOffset, message: "duplicate key \(quotedToken(key))") }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Failure(offset: index, message: "expected ':' after a key") }
            index += 1
            skipSpace()
            let valueOffset = index
            let value = try parseValue()
            fields.append((key, keyOffset, value, valueOffset))
            skipSpace()
            guard index < bytes.count else { throw Failure(offset: index, message: "unexpected end of line: expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(fields) }
            throw Failure(offset: index, message: "expected ',' or '}'")
        }
    }

    mutating func parseArray() throws(Failure) -> Value {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 64 else { throw Failure(offset: index, message: "nesting deeper than 64 levels") }
        index += 1
        var items: [(value: Value, offset: Int)] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipSpace()
            let offset = index
            items.append((try parseValue(), offset))
            skipSpace()
            guard index < bytes.count else { throw Failure(offset: index, message: "unexpected end of line: expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw Failure(offset: index, message: "expected ',' or ']'")
        }
    }

    mutating func parseString() throws(Failure) -> String {
        let start = index
        index += 1
        var scalars = String.UnicodeScalarView()
        var runStart = index
        var plain: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let run = bytes[runStart..<index]
                index += 1
                // The common case: no escapes, ASCII only, decoded without validation.
                if scalars.isEmpty && plain.isEmpty && run.allSatisfy({ $0 < 0x80 }) {
                    return String(decoding: run, as: UTF8.self)
                }
                plain.append(contentsOf: run)
                guard let text = String(validating: plain, as: UTF8.self) else {
                    throw Failure(offset: start, message: "string is not valid UTF-8")
                }
                return scalars.isEmpty ? text : String(scalars) + text
            }
            if b < 0x20 { throw Failure(offset: index, message: "control character in a string") }
            if b == UInt8(ascii: "\\") {
                plain.append(contentsOf: bytes[runStart..<index])
                guard let text = String(validating: plain, as: UTF8.self) else {
                    throw Failure(offset: start, message: "string is not valid UTF-8")
                }
                scalars.append(contentsOf: text.unicodeScalars)
                plain.removeAll()
                index += 1
                guard index < bytes.count else { break }
                switch bytes[index] {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "u"):
                    guard let high = hex4(at: index + 1) else { throw Failure(offset: index - 1, message: "invalid \\u escape: expected four hex digits") }
                    index += 4
                    var code = high
                    if (0xD800..<0xDC00).contains(high) {
                        // A UTF-16 surrogate pair, as Python's json.dumps writes anything beyond the BMP.
                        guard index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u"),
                              let low = hex4(at: index + 3), (0xDC00..<0xE000).contains(low) else {
                            throw Failure(offset: index - 5, message: "a high surrogate \\u escape without its low surrogate")
                        }
                        code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                    guard let scalar = Unicode.Scalar(code) else {
                        throw Failure(offset: index - 5, message: "a lone low surrogate \\u escape")
                    }
                    scalars.append(scalar)
                default: throw Failure(offset: index, message: "invalid escape")
                }
                index += 1
                runStart = index
                continue
            }
            index += 1
        }
        throw Failure(offset: start, message: "unterminated string")
    }

    /// The value of four hex digits at `offset`, if there are four.
    func hex4(at offset: Int) -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for b in bytes[offset..<offset + 4] {
            switch b {
            case 0x30...0x39: value = value << 4 | UInt32(b - 0x30)
            case 0x41...0x46: value = value << 4 | UInt32(b - 0x41 + 10)
            case 0x61...0x66: value = value << 4 | UInt32(b - 0x61 + 10)
            default: return nil
            }
        }
        return value
    }

    mutating func parseNumber() throws(Failure) -> Value {
        let start = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) || "+-.eE".utf8.contains(bytes[index]) { index += 1 }
        let run = bytes[start..<index]
        guard !run.isEmpty, NumberGrammar.isRealSpelling(run) else {
            if run.isEmpty { throw Failure(offset: start, message: "invalid JSON value") }
            throw Failure(offset: start, message: "malformed number \(quotedToken(String(decoding: run, as: UTF8.self)))")
        }
        let text = String(decoding: run, as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw Failure(offset: start, message: "the number \(quotedToken(text)) is beyond the range of a double")
        }
        return .number(value, text: text)
    }

    /// The 1-based line and column (in characters) of a byte offset of `bytes`.
    public static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0
        let end = min(max(offset, 0), bytes.count)
        var i = 0
        while i < end {
            if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
            i += 1
        }
        return (line, String(decoding: bytes[lineStart..<end], as: UTF8.self).count + 1)
    }
}

extension JSONScanner.Value {
    /// This number as an integer under `NumberGrammar` (exact to Int64), or nil.
    public var integer: NumberGrammar.Integer? {
        guard case .number(_, let text) = self else { return nil }
        return NumberGrammar.integer(text)
    }

    /// What this value is, for messages: "a string", "the number 1.5".
    public var kindName: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string(let s): return "the string \(quotedToken(s))"
        case .number(_, let text): return "the number \(quotedToken(text))"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }
}
