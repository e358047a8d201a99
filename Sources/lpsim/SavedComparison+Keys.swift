import Documents
import Foundation
import Reports

extension SavedComparison {
    /// Unknown keys are errors, as in every other input: the decoder ignores a key it has no field
    /// for, so a typo in an optional field (`"bits_per_weigth"`) would vanish silently. The known keys
    /// at each path are those `ComparisonData` encodes back (its fields are what `compare --json`
    /// writes); a key whose value is `null` is skipped, since an absent optional encodes to nothing.
    ///
    /// - Throws: `Diagnostic` at the first unknown key, with its key path.
    static func checkKeys(_ data: ComparisonData, root: JSONScanner.Value, bytes: [UInt8], path: String) throws {
        let encoded = [UInt8](try JSONEncoder().encode(data))
        var scanner = JSONScanner(encoded)
        let known: JSONScanner.Value
        do throws(JSONScanner.Failure) { (known, _) = try scanner.parseDocument() } catch { return }
        try walk(root, known, keyPath: "", bytes: bytes, path: path)
    }

    private static func walk(_ value: JSONScanner.Value, _ known: JSONScanner.Value, keyPath: String,
                             bytes: [UInt8], path: String) throws {
        switch (value, known) {
        case (.object(let fields), .object(let knownFields)):
            for field in fields {
                if case .null = field.value { continue }
                let child = keyPath.isEmpty ? field.key : keyPath + "." + field.key
                guard let match = knownFields.first(where: { $0.key == field.key }) else {
                    let (line, column) = JSONScanner.position(of: field.keyOffset, in: bytes)
                    let names = knownFields.map(\.key)
                    let hint = closeMatches(to: field.key, in: names).first.map { "; did you mean '\($0)'?" } ?? ""
                    throw Diagnostic(file: path, line: line, column: column, keyPath: keyPath,
                                     message: "unknown key '\(field.key)'\(hint)")
                }
                try walk(field.value, match.value, keyPath: child, bytes: bytes, path: path)
            }
        case (.array(let items), .array(let knownItems)):
            for (i, (item, knownItem)) in zip(items, knownItems).enumerated() {
                try walk(item.value, knownItem.value, keyPath: keyPath + "[\(i)]", bytes: bytes, path: path)
            }
        default: return
        }
    }
}
