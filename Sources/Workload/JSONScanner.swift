import Documents

/// A small, fast JSON reader for one line of a JSON Lines trace: objects,
/// arrays, strings (with escapes), numbers, true/false/null. Every value
/// keeps the byte offset where it starts, for error columns.
struct JSONScanner {
    /// Only the containers are indirect: numbers and strings stay unboxed.
    enum Value {
        indirect case object([(key: String, keyOffset: Int, value: Value, offset: Int)])
        indirect case array([(value: Value, offset: Int)])
        case string(String)
        case number(Double, text: String)
        case bool(Bool)
        case null
    }

    struct Failure: Error {
        var offset: Int
        var message: String
    }

    let bytes: [UInt8]
    var index = 0
    var depth = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses the whole line as one value.
    mutating func parseDocument() throws(Failure) -> (Value, Int) {
        skipSpace()
        let start = index
        let value = try parseValue()
        skipSpace()
        guard index == bytes.count else { throw Failure(offset: index, message: "unexpected text after the JSON value") }
        return (value, start)
    }

    mutating func skipSpace() {
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
            if fields.contains(where: { $0.key == key }) { throw Failure(offset: keyOffset, message: "duplicate key '\(key)'") }
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
                    guard index + 4 < bytes.count, let code = UInt32(String(decoding: bytes[index + 1...index + 4], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(code) else {
                        throw Failure(offset: index, message: "invalid \\u escape")
                    }
                    scalars.append(scalar)
                    index += 4
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

    mutating func parseNumber() throws(Failure) -> Value {
        let start = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) || "+-.eE".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard !text.isEmpty, let value = Double(text) else { throw Failure(offset: start, message: "invalid JSON value") }
        return .number(value, text: text)
    }
}
