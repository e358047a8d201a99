import Foundation
import Yams

/// A YAML file read strictly: syntax errors, type errors, unknown keys and
/// out-of-range values all become `Diagnostic`s at the offending node's
/// line and column, with its key path.
///
/// Yams reports positions for syntax errors only; lpsim composes the node
/// tree (`Yams.compose`) and decodes it by hand, so every node it looks at
/// carries its own mark.
public struct YAMLDocument: Sendable {
    public let path: String
    public let root: YAMLValue

    /// Reads and composes `path`.
    ///
    /// - Throws: `Diagnostic` for a missing, unreadable, empty, non-UTF-8
    ///   or syntactically invalid file.
    /// YAML files are held whole and composed into a node tree of up to a
    /// hundred times their size (a 4.5 MB mapping of 300 000 keys takes
    /// 425 MB and 3 s), so a file over `maximumYAMLBytes` (4 MiB) is refused
    /// with that limit in the message; large traces belong in JSON Lines.
    public init(path: String) throws {
        let data = try readInputFile(path, maximumBytes: maximumYAMLBytes)
        try self.init(data: data, path: path)
    }

    public init(data: Data, path: String) throws {
        self.path = path
        let text = try decodeUTF8(data, path: path)
        if text.unicodeScalars.contains(where: { $0.value == 0 }) {
            let (line, column) = lineAndColumn(of: text.unicodeScalars.firstIndex { $0.value == 0 }!, in: text)
            throw Diagnostic(file: path, line: line, column: column, message: "binary data (a NUL byte): expected YAML text")
        }
        let node: Node?
        do {
            // The basic resolver: every scalar stays a string (lpsim converts types itself,
            // strictly), which skips Yams' regex-based tag resolution.
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw Self.diagnostic(for: error, path: path, text: text)
        } catch {
            throw Diagnostic(file: path, message: "cannot parse YAML: \(error)")
        }
        guard let node else { throw Diagnostic(file: path, line: 1, column: 1, message: "empty file: expected a YAML mapping") }
        root = YAMLValue(node: node, file: path, keyPath: "")
    }

    static func diagnostic(for error: YamlError, path: String, text: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let what = context.map { "\($0.text) (line \($0.mark.line)), " } ?? ""
            var message = "YAML syntax: \(what)\(problem)"
            if problem.contains("cannot start any token"), text.split(separator: "\n", omittingEmptySubsequences: false)
                .dropFirst(max(0, mark.line - 1)).first?.contains("\t") == true {
                message += " (tabs are not allowed for indentation in YAML; use spaces)"
            }
            return Diagnostic(file: path, line: mark.line, column: mark.column, message: message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Diagnostic(file: path, line: context.mark.line, column: context.mark.column,
                              message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping")
        case .reader(let problem, let offset, _, _):
            if let offset {
                let index = text.utf8.index(text.utf8.startIndex, offsetBy: min(offset, text.utf8.count))
                let (line, column) = lineAndColumn(utf8: index, in: text)
                return Diagnostic(file: path, line: line, column: column, message: "YAML reader: \(problem)")
            }
            return Diagnostic(file: path, message: "YAML reader: \(problem)")
        default:
            return Diagnostic(file: path, message: "cannot parse YAML: \(error)")
        }
    }
}

/// The largest YAML input read (4 MiB); see `YAMLDocument.init(path:)`.
public let maximumYAMLBytes = 4 << 20

/// Reads a whole input file, turning every failure into a `Diagnostic`.
///
/// Any readable file that is not a directory is read — a regular file, a
/// FIFO, a device such as `/dev/stdin` — by `read(2)` up to `maximumBytes`:
/// an endless one (`/dev/zero`) is refused at the limit, never read as empty.
public func readInputFile(_ path: String, maximumBytes: Int = 256 << 20) throws -> Data {
    let size = try checkInputFile(path, maximumBytes: maximumBytes)
    // A FIFO or device gives its bytes once: a second reader of the same input
    // (validate looks at a file, then loads it) gets the bytes the first read.
    if size == nil, let earlier = StreamInputs.read(path) { return earlier }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw Diagnostic(file: path, message: "cannot read: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var data = Data()
    if let size, size > 0 { data.reserveCapacity(size) }
    let chunk = 1 << 16
    var buffer = [UInt8](repeating: 0, count: chunk)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, chunk) }
        if n < 0 {
            if errno == EINTR { continue }
            throw Diagnostic(file: path, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        if n == 0 { break }
        guard data.count + n <= maximumBytes else {
            throw Diagnostic(file: path, message: "more than \(maximumBytes) bytes; inputs larger than that are refused")
        }
        data.append(contentsOf: buffer[0..<n])
    }
    if size == nil { StreamInputs.remember(path, data) }
    return data
}

/// The contents of the non-regular inputs read so far, by path.
enum StreamInputs {
    nonisolated(unsafe) static var contents: [String: Data] = [:]
    static let lock = NSLock()
    static func read(_ path: String) -> Data? { lock.lock(); defer { lock.unlock() }; return contents[path] }
    static func remember(_ path: String, _ data: Data) { lock.lock(); defer { lock.unlock() }; contents[path] = data }
}

/// Checks that `path` is a readable file (not a directory) of at most
/// `maximumBytes`; returns its size in bytes where it is a regular file, and
/// records it as an input of the running command (see `FileRegistry`).
@discardableResult
public func checkInputFile(_ path: String, maximumBytes: Int = .max) throws -> Int? {
    var info = stat()
    guard stat(path, &info) == 0 else {
        if errno == EACCES { throw Diagnostic(file: path, message: "permission denied") }
        throw Diagnostic(file: path, message: "no such file")
    }
    guard info.st_mode & S_IFMT != S_IFDIR else { throw Diagnostic(file: path, message: "is a directory, expected a file") }
    // access(2) answers for the real user; root passes it even for mode 000, as open(2) would let it.
    guard access(path, R_OK) == 0 else { throw Diagnostic(file: path, message: "permission denied") }
    FileRegistry.recordInput(path)
    guard info.st_mode & S_IFMT == S_IFREG else { return nil }
    let size = Int(info.st_size)
    if size > maximumBytes {
        throw Diagnostic(file: path, message: "file is \(size) bytes; inputs larger than \(maximumBytes) bytes are refused")
    }
    return size
}

/// Decodes UTF-8, reporting the line and column of the first invalid byte.
/// A NUL byte anywhere is binary data, refused at its position: C-based
/// parsers would stop at it and read `2<NUL>3` as `2`.
public func decodeUTF8(_ data: Data, path: String) throws -> String {
    if let text = String(data: data, encoding: .utf8) {
        if let nul = data.firstIndex(of: 0) {
            let (line, column) = JSONScanner.position(of: nul - data.startIndex, in: [UInt8](data))
            throw Diagnostic(file: path, line: line, column: column, message: "binary data (a NUL byte): expected text")
        }
        return text
    }
    var line = 1, column = 1, offset = 0
    let bytes = [UInt8](data)
    while offset < bytes.count {
        let b = bytes[offset]
        let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
        let valid = length > 0 && offset + length <= bytes.count
            && String(bytes: bytes[offset..<offset + length], encoding: .utf8) != nil
        if !valid { break }
        if b == 0x0A { line += 1; column = 1 } else { column += 1 }
        offset += length
    }
    throw Diagnostic(file: path, line: line, column: column, message: "not UTF-8 text (binary data?)")
}

func lineAndColumn(of index: String.UnicodeScalarView.Index, in text: String) -> (Int, Int) {
    var line = 1, column = 1
    for scalar in text.unicodeScalars[..<index] {
        if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
    }
    return (line, column)
}

func lineAndColumn(utf8 index: String.UTF8View.Index, in text: String) -> (Int, Int) {
    let scalarIndex = index.samePosition(in: text.unicodeScalars) ?? text.unicodeScalars.endIndex
    return lineAndColumn(of: scalarIndex, in: text)
}
