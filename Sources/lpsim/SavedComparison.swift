import Documents
import Foundation
import Reports

/// Reads the JSON that `compare --json` saved, strictly and with positions:
/// the same JSON reader as every other (`JSONScanner`: duplicate keys,
/// numbers in the shared grammar, full string escapes, a BOM) first, then
/// the decoder, whose errors are placed at the field they name, with its key
/// path, and worded without Swift's type names.
enum SavedComparison {
    static func decode(_ bytes: Data, path: String) throws -> ComparisonData {
        let array = [UInt8](bytes)
        var scanner = JSONScanner(array)
        let root: JSONScanner.Value
        do throws(JSONScanner.Failure) { (root, _) = try scanner.parseDocument() } catch {
            let (line, column) = JSONScanner.position(of: error.offset, in: array)
            throw Diagnostic(file: path, line: line, column: column, message: "invalid JSON: \(error.message)")
        }
        guard case .object = root else {
            throw Diagnostic(file: path, line: 1, column: 1, message: "expected a JSON object (the output of 'lpsim compare --json')")
        }
        let data: ComparisonData
        do { data = try JSONDecoder().decode(ComparisonData.self, from: Data(array.starts(with: [0xEF, 0xBB, 0xBF]) ? array.dropFirst(3) : array[...])) }
        catch let error as DecodingError {
            let (codingPath, message) = describe(error)
            let keyPath = render(codingPath)
            let offset = locate(codingPath, in: root, start: 0)
            let (line, column) = JSONScanner.position(of: offset, in: array)
            throw Diagnostic(file: path, line: line, column: column, keyPath: keyPath, message: message)
        } catch {
            throw Diagnostic(file: path, message: "not a saved comparison")
        }
        try checkKeys(data, root: root, bytes: array, path: path)
        try checkFigures(data, root: root, bytes: array, path: path)
        return data
    }

    /// The coding path and a plain message (no `CodingKeys(stringValue: …)`).
    static func describe(_ error: DecodingError) -> ([CodingKey], String) {
        switch error {
        case .keyNotFound(let key, let context):
            return (context.codingPath, "missing required key '\(key.stringValue)'")
        case .typeMismatch(let type, let context):
            return (context.codingPath, "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return (context.codingPath, "expected \(typeName(type)), got null")
        case .dataCorrupted(let context):
            return (context.codingPath, "invalid value")
        @unknown default:
            return ([], "not a saved comparison")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type, is Int64.Type, is UInt64.Type: return "an integer"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }

    static func render(_ path: [CodingKey]) -> String {
        var out = ""
        for key in path {
            if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
        }
        return out
    }

    /// The byte offset of the value at `path` (or of the deepest value on it that exists).
    static func locate(_ path: [CodingKey], in value: JSONScanner.Value, start: Int) -> Int {
        guard let key = path.first else { return start }
        switch value {
        case .object(let fields):
            guard let field = fields.first(where: { $0.key == key.stringValue }) else { return start }
            return locate(Array(path.dropFirst()), in: field.value, start: field.offset)
        case .array(let items):
            guard let i = key.intValue, items.indices.contains(i) else { return start }
            return locate(Array(path.dropFirst()), in: items[i].value, start: items[i].offset)
        default: return start
        }
    }
}
