import ArgumentParser
import Documents
import Formats
import Foundation

extension RoundingMode: ExpressibleByArgument {}
extension OverflowRule: ExpressibleByArgument {}

/// `lpsim convert`: encode numbers, one per line, into a format.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Encode numbers (one per line) into a format and print input, bits and value as CSV.",
        discussion: """
            Numbers are decimal (1.5, -2e-3), hexadecimal floating point (0x1.8p-3), \
            inf, -inf or nan, nothing else; a decimal beyond the range of a double (1e400) \
            is an error. Blank lines and lines starting with '#' are skipped. Input streams: \
            lines of at most 64 KiB, any number of them. \
            Block formats group the lines, in order, into blocks and print \
            input,block,scale_bits,bits,value, where value includes every scale.
            """
    )

    @Option(name: .long, help: "The format's name (see 'lpsim formats').")
    var format: String

    @Option(name: .long, help: "Rounding mode: \(RoundingMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var rounding: RoundingMode = .nearestEven

    @Option(name: .long, help: "Seed for stochastic rounding.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Overflow: ieee (to inf, else NaN, else ±max) or saturate (to ±max).")
    var overflow: OverflowRule = .ieee

    @Option(name: .long, help: "Read numbers from this file instead of standard input.")
    var input: String?

    func run() throws {
        try reportingErrors {
            let target = try lookUpFormat(format)
            let reader = try LineReader(path: input)
            defer { reader.close() }
            try writeStandardOutput { out in
                switch target {
                case .scalar(let f): try scalarTable(f, reader, to: &out)
                case .block(let f): try blockTable(f, reader, to: &out)
                }
            }
        }
    }

    /// Calls `body` with each number of the input and its spelling, in order;
    /// memory holds one line, whatever the input's length.
    func forEachNumber(_ reader: LineReader, _ body: (UnsafeBufferPointer<UInt8>, Double) throws -> Void) throws {
        try reader.forEachLine { line, number in
            func fail(_ column: Int, _ message: String) -> Diagnostic {
                Diagnostic(file: reader.displayName, line: number, column: column, message: message)
            }
            // One pass finds whether the line is plain ASCII without NUL, the usual case.
            var plain = true
            for b in line where b == 0 || b >= 0x80 { plain = false; break }
            if !plain {
                if let nul = line.firstIndex(of: 0) {
                    throw fail(characterCount(line[..<nul]) + 1, "binary data (a NUL byte): expected one number per line")
                }
                if let column = firstInvalidUTF8Column(line) { throw fail(column, "not UTF-8 text") }
            }
            var i = 0
            while i < line.count, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
            let start = i
            while i < line.count, line[i] != 0x20, line[i] != 0x09 { i += 1 }
            let token = UnsafeBufferPointer(rebasing: line[start..<i])
            if token.isEmpty || token[0] == UInt8(ascii: "#") { return }
            var j = i
            while j < line.count, line[j] == 0x20 || line[j] == 0x09 { j += 1 }
            guard let value = ConvertSpelling.parse(token) else {
                throw fail(start + 1, "malformed number \(quotedToken(String(decoding: token, as: UTF8.self))): "
                           + "expected a decimal, a hex float such as 0x1.8p-3, inf, -inf or nan")
            }
            guard value.isFinite || !ConvertSpelling.isFiniteSpelling(token) else {
                throw fail(start + 1, "\(quotedToken(String(decoding: token, as: UTF8.self))) is beyond the range of a double (about ±1.8e308)")
            }
            if j < line.count { throw fail(characterCount(line[..<j]) + 1, "unexpected text after the number: one number per line") }
            try body(token, value)
        }
    }

    func scalarTable(_ f: AnyScalarFormat, _ reader: LineReader, to out: inout ChunkedWriter) throws {
        var rng = SplitMix64(seed: seed)
        out.write("input,bits,value\n")
        // A format of at most 16 bits has few codes: each code's ",bits,value\n" is
        // made once and copied after, the difference between 1 and 2 M lines a second.
        var suffixes: [[UInt8]?] = f.hexDigits <= 4 ? Array(repeating: nil, count: 1 << (4 * f.hexDigits)) : []
        func suffix(_ code: UInt32) -> [UInt8] { Array(",\(hex(code, digits: f.hexDigits)),\(shortest(f.decode(code)))\n".utf8) }
        try forEachNumber(reader) { token, x in
            let code = f.encode(x, rounding: rounding, overflow: overflow,
                                random: rounding == .stochastic ? rng.next() : 0)
            out.write(bytes: UnsafeRawBufferPointer(token))
            if Int(code) < suffixes.count {
                if suffixes[Int(code)] == nil { suffixes[Int(code)] = suffix(code) }
                suffixes[Int(code)]!.withUnsafeBytes { out.write(bytes: $0) }
            } else {
                suffix(code).withUnsafeBytes { out.write(bytes: $0) }
            }
        }
    }

    /// Block formats stream block by block; one with a tensor scale needs the
    /// whole tensor's amax first, so it holds the input, up to a stated limit.
    func blockTable(_ f: BlockFormat, _ reader: LineReader, to out: inout ChunkedWriter) throws {
        var tokens: [UInt8] = [], ends: [Int] = [], values: [Double] = []
        let limit = f.hasTensorScale ? 1 << 22 : f.blockSize
        var rng = SplitMix64(seed: seed)
        var block = 0
        var codes = [UInt32](repeating: 0, count: f.blockSize)
        out.write("input,block,scale_bits,bits,value\n")
        let cacheable = !f.hasTensorScale && f.scale.hexDigits <= 2 && f.element.hexDigits <= 2
        var suffixes: [[UInt8]?] = cacheable ? Array(repeating: nil, count: 1 << 16) : []
        func suffix(_ scaleCode: UInt32, _ code: UInt32, _ tensorScale: Double) -> [UInt8] {
            Array((",\(hex(scaleCode, digits: f.scale.hexDigits)),\(hex(code, digits: f.element.hexDigits)),"
                   + shortest(f.value(code: code, scaleCode: scaleCode, tensorScale: tensorScale)) + "\n").utf8)
        }
        func flush(tensorScale: Double) {
            var start = 0, first = 0
            while first < values.count {
                let count = min(f.blockSize, values.count - first)
                let scaleCode = values.withUnsafeBufferPointer { v in
                    codes.withUnsafeMutableBufferPointer { c in
                        f.encodeBlock(UnsafeBufferPointer(rebasing: v[first..<first + count]), tensorScale: tensorScale,
                                      rounding: rounding, random: &rng, into: UnsafeMutableBufferPointer(rebasing: c[0..<count]))
                    }
                }
                // The block's number once; each ",scale,bits,value\n" of a byte-wide scale and element
                // cached by code pair (the value depends on nothing else when there is no tensor scale).
                let blockText = Array(",\(block)".utf8)
                for k in 0..<count {
                    let end = ends[first + k]
                    tokens[start..<end].withUnsafeBytes { out.write(bytes: $0) }
                    start = end
                    blockText.withUnsafeBytes { out.write(bytes: $0) }
                    let key = Int(scaleCode) << 8 | Int(codes[k])
                    if cacheable, key < suffixes.count {
                        if suffixes[key] == nil { suffixes[key] = suffix(scaleCode, codes[k], tensorScale) }
                        suffixes[key]!.withUnsafeBytes { out.write(bytes: $0) }
                    } else {
                        suffix(scaleCode, codes[k], tensorScale).withUnsafeBytes { out.write(bytes: $0) }
                    }
                }
                block += 1
                first += count
            }
            tokens.removeAll(keepingCapacity: true); ends.removeAll(keepingCapacity: true); values.removeAll(keepingCapacity: true)
        }
        try forEachNumber(reader) { token, x in
            guard values.count < limit || !f.hasTensorScale else {
                throw Diagnostic(file: reader.displayName, message: "\(f.name) scales by the whole tensor's maximum, "
                                 + "so convert holds its input: at most \(limit) numbers")
            }
            tokens.append(contentsOf: token)
            ends.append(tokens.count)
            values.append(x)
            if !f.hasTensorScale && values.count == f.blockSize { flush(tensorScale: 1) }
        }
        let tensorScale = f.tensorScale(for: values)
        if f.hasTensorScale {
            var stderr = StandardError()
            print("note: \(f.name) tensor scale = \(shortest(tensorScale)) (included in value)", to: &stderr)
        }
        flush(tensorScale: f.hasTensorScale ? tensorScale : 1)
    }
}

/// The number of characters in UTF-8 `bytes`.
func characterCount(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int {
    bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
}

/// Exactly the spellings `convert` documents: a decimal (`1.5`, `-2e-3`,
/// `.5`), a hexadecimal float (`0x1.8p-3`), `inf`, `-inf`, `nan`. Nothing
/// else strtod would take (`infinity`, `+inf`, `-nan`, `nan(0x1)`, `snan`).
enum ConvertSpelling {
    static func parse(_ token: UnsafeBufferPointer<UInt8>) -> Double? {
        if equals(token, "inf") { return .infinity }
        if equals(token, "-inf") { return -.infinity }
        if equals(token, "nan") { return .nan }
        guard isFiniteSpelling(token), token.count < 512 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: token.count + 1) { buffer in
            for k in 0..<token.count { buffer[k] = CChar(bitPattern: token[k]) }
            buffer[token.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            return end == buffer.baseAddress! + token.count ? value : nil
        }
    }

    static func equals(_ token: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        token.count == word.utf8CodeUnitCount && memcmp(token.baseAddress!, word.utf8Start, token.count) == 0
    }

    /// `-?` then decimal digits with an optional point and `e` exponent, or
    /// `0x` hex digits with an optional point and `p` exponent.
    static func isFiniteSpelling(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < t.count, t[i] == UInt8(ascii: "-") { i += 1 }
        let hex = i + 1 < t.count && t[i] == UInt8(ascii: "0") && (t[i + 1] == UInt8(ascii: "x") || t[i + 1] == UInt8(ascii: "X"))
        if hex { i += 2 }
        func isDigit(_ b: UInt8) -> Bool {
            (0x30...0x39).contains(b) || (hex && ((0x41...0x46).contains(b) || (0x61...0x66).contains(b)))
        }
        var mantissaDigits = 0
        while i < t.count, isDigit(t[i]) { i += 1; mantissaDigits += 1 }
        if i < t.count, t[i] == UInt8(ascii: ".") {
            i += 1
            while i < t.count, isDigit(t[i]) { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return false }
        let marks: [UInt8] = hex ? [UInt8(ascii: "p"), UInt8(ascii: "P")] : [UInt8(ascii: "e"), UInt8(ascii: "E")]
        if i < t.count, marks.contains(t[i]) {
            i += 1
            if i < t.count, t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-") { i += 1 }
            var exponentDigits = 0
            while i < t.count, (0x30...0x39).contains(t[i]) { i += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return false }
        }
        return i == t.count
    }
}

/// `0x`-prefixed lowercase hex, zero-padded to `digits`.
func hex(_ code: UInt32, digits: Int) -> String {
    let s = String(code, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, digits - s.count)) + s
}

/// The shortest decimal that round-trips a Double, or inf, -inf, nan.
func shortest(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    return x.description
}
