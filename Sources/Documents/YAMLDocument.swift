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
    public init(path: String) throws {
        let data = try readInputFile(path)
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

/// Reads a whole input file, turning every failure into a `Diagnostic`.
public func readInputFile(_ path: String, maximumBytes: Int = 256 << 20) throws -> Data {
    // An empty file is answered here: Foundation's Data(contentsOf:) leaks its
    // read buffer on empty files (seen under the address sanitizer while fuzzing).
    if try checkInputFile(path, maximumBytes: maximumBytes) == 0 { return Data() }
    do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
        throw Diagnostic(file: path, message: "cannot read: \(error.localizedDescription)")
    }
}

/// Checks that `path` is a readable regular file of at most `maximumBytes`;
/// returns its size in bytes (nil where the file system does not say).
@discardableResult
public func checkInputFile(_ path: String, maximumBytes: Int = .max) throws -> Int? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw Diagnostic(file: path, message: "no such file")
    }
    guard !isDirectory.boolValue else { throw Diagnostic(file: path, message: "is a directory, expected a file") }
    guard FileManager.default.isReadableFile(atPath: path) else { throw Diagnostic(file: path, message: "permission denied") }
    let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
    if let size, size > maximumBytes {
        throw Diagnostic(file: path, message: "file is \(size) bytes; inputs larger than \(maximumBytes) bytes are refused")
    }
    return size
}

/// Decodes UTF-8, reporting the line and column of the first invalid byte.
public func decodeUTF8(_ data: Data, path: String) throws -> String {
    if let text = String(data: data, encoding: .utf8) { return text }
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
