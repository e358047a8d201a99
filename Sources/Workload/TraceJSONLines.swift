import Documents
import Foundation

extension TraceReader {
    /// JSON Lines: an optional header object with "lpsim_trace": 1, then one op object per line.
    static func readJSONLines(_ path: String, header: (Trace) -> Void, op: (Op) throws -> Void) throws {
        try checkInputFile(path)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Diagnostic(file: path, message: "cannot open")
        }
        defer { try? handle.close() }
        var lineNumber = 0, opIndex = 0
        var pending: [UInt8] = []
        var sawHeader = false
        let words = FastJSONOp.Words(), formatNames = FastJSONOp.FormatNames()
        /// One line, without its newline, read in place from the read buffer.
        func handleLine(_ line: UnsafeBufferPointer<UInt8>) throws {
            lineNumber += 1
            var line = line
            // A byte order mark is accepted at the start of the file, as by every other reader.
            if lineNumber == 1, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                line = UnsafeBufferPointer(rebasing: line.dropFirst(3))
            }
            // The limit holds on every line, whichever path reads it.
            if line.count > 1 << 20 {
                throw Diagnostic(file: path, line: lineNumber, column: 1,
                                 message: "a line of \(line.count) bytes; one op per line is expected (at most 1 MiB)")
            }
            if sawHeader || opIndex > 0 {
                // The fast path for well-formed ops; anything else takes the general reader below.
                let trimmed = line.last == 0x0D ? UnsafeBufferPointer(rebasing: line.dropLast()) : line
                if try FastJSONOp.parse(trimmed, index: opIndex, words: words, formatNames: formatNames, then: op) {
                    opIndex += 1
                    return
                }
            }
            var bytes = Array(line)
            if bytes.last == 0x0D { bytes.removeLast() }
            if let nul = bytes.firstIndex(of: 0) {
                throw Diagnostic(file: path, line: lineNumber, column: column(of: nul, in: bytes),
                                 message: "binary data (a NUL byte)")
            }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            var scanner = JSONScanner(bytes)
            let value: JSONScanner.Value
            do throws(JSONScanner.Failure) { (value, _) = try scanner.parseDocument() } catch {
                throw Diagnostic(file: path, line: lineNumber, column: column(of: error.offset, in: bytes),
                                 message: "invalid JSON: \(error.message)")
            }
            guard case .object(let fields) = value else {
                throw Diagnostic(file: path, line: lineNumber, column: 1,
                                 message: "expected a JSON object (one op per line)")
            }
            let record = JSONOpRecord(fields: fields, bytes: bytes, path: path, line: lineNumber)
            if !sawHeader && opIndex == 0 && record.has("lpsim_trace") {
                sawHeader = true
                for key in record.keys where !["lpsim_trace", "name", "source", "generated_by"].contains(key) {
                    throw record.error(at: key, "unknown header key '\(key)'; "
                                       + "expected lpsim_trace, name, source, generated_by")
                }
                guard try record.integer("lpsim_trace") == 1 else {
                    throw record.error(at: "lpsim_trace", "unsupported trace version; expected 1")
                }
                header(Trace(name: record.has("name") ? try record.name("name") : (path as NSString).lastPathComponent,
                             source: record.has("source") ? try record.string("source") : nil,
                             generatedBy: record.has("generated_by") ? try record.string("generated_by") : nil,
                             ops: []))
                return
            }
            if !sawHeader && opIndex == 0 { header(Trace(name: (path as NSString).lastPathComponent, ops: [])) }
            try op(try OpDecoder.decode(record, index: opIndex))
            opIndex += 1
        }
        // One reusable buffer, refilled with read(2): no allocation or fresh
        // pages per chunk. An unfinished last line is moved to its front.
        let chunkSize = 1 << 20
        var buffer = [UInt8](repeating: 0, count: 2 * chunkSize + 1)
        var filled = 0
        let fd = handle.fileDescriptor
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress! + filled, chunkSize) }
            if count < 0 { throw Diagnostic(file: path, message: "cannot read: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            filled += count
            var start = 0
            try buffer.withUnsafeBufferPointer { b in
                while start < filled, let hit = memchr(b.baseAddress! + start, 0x0A, filled - start) {
                    let end = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - b.baseAddress!
                    try handleLine(UnsafeBufferPointer(rebasing: b[start..<end]))
                    start = end + 1
                }
            }
            let rest = filled - start
            if rest > chunkSize {
                throw Diagnostic(file: path, line: lineNumber + 1, column: 1,
                                 message: "a line longer than 1 MiB; one op per line is expected")
            }
            if start > 0 && rest > 0 {
                buffer.withUnsafeMutableBytes { raw in _ = memmove(raw.baseAddress!, raw.baseAddress! + start, rest) }
            }
            filled = rest
        }
        pending = Array(buffer[0..<filled])
        if !pending.isEmpty { try pending.withUnsafeBufferPointer { try handleLine($0) } }
        // A header alone is an empty trace too: every format refuses one (it would simulate to zero).
        if opIndex == 0 {
            throw Diagnostic(file: path, line: max(1, lineNumber), column: 1, message: "empty trace: no ops")
        }
    }

    /// 1-based column (in characters) of a byte offset.
    static func column(of offset: Int, in bytes: [UInt8]) -> Int {
        String(decoding: bytes[..<min(offset, bytes.count)], as: UTF8.self).count + 1
    }
}

/// An op in a JSON Lines trace.
struct JSONOpRecord: OpRecord {
    let fields: [(key: String, keyOffset: Int, value: JSONScanner.Value, offset: Int)]
    let bytes: [UInt8]
    let path: String
    let line: Int

    var keys: [String] { fields.map(\.key) }
    func has(_ key: String) -> Bool { fields.contains { $0.key == key } }
    func field(_ key: String) -> (key: String, keyOffset: Int, value: JSONScanner.Value, offset: Int)? {
        fields.first { $0.key == key }
    }

    func string(_ key: String) throws -> String {
        guard case .string(let s)? = field(key)?.value else {
            throw error(at: key, "expected a string, got \(field(key)?.value.kindName ?? "nothing")")
        }
        return s
    }

    func integer(_ key: String) throws -> Int {
        guard let value = field(key)?.value else { throw error(at: key, "expected an integer") }
        switch value.integer {
        case .value(let v)?: return v
        case .outOfRange?:
            throw error(at: key, "expected an integer that fits 64 bits, got \(value.kindName.dropFirst(11))")
        case .notAnInteger?, nil:
            throw error(at: key, "expected an integer, got \(value.kindName); \(NumberGrammar.integerRule)")
        }
    }

    func formatEntries() throws -> [(role: String, format: String, error: (String) -> Diagnostic)] {
        guard case .object(let roles)? = field("formats")?.value else {
            throw error(at: "formats", "expected an object of role: format")
        }
        return try roles.map { entry in
            let report: (String) -> Diagnostic = { message in
                Diagnostic(file: path, line: line, column: TraceReader.column(of: entry.offset, in: bytes),
                           keyPath: "formats.\(entry.key)", message: message)
            }
            guard case .string(let name) = entry.value else { throw report("expected a format name") }
            return (entry.key, name, report)
        }
    }

    func error(at key: String?, _ message: String) -> Diagnostic {
        let offset = key.flatMap { field($0)?.offset } ?? 0
        return Diagnostic(file: path, line: line, column: TraceReader.column(of: offset, in: bytes),
                          keyPath: key ?? "", message: message)
    }
}
