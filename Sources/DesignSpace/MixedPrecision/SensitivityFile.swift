import Documents
import Foundation

/// Per-layer sensitivities from a CSV file, HAWQ-style: the header `layer,trace`, then one row per layer
/// with its name and the (average) Hessian trace of its weights, as HAWQ-V3's PyHessian step writes them.
/// Blank lines and lines starting with `#` are skipped. Every row is checked where it stands: two fields,
/// a finite trace ≥ 0 (a negative one would reward noise), each layer once; a name that is no layer of
/// the workload, and a layer the file leaves out, are errors too — a silent default would mislead.
public enum SensitivityFile {
    /// The sensitivity of each of `layers`, in order.
    public static func load(_ path: String, layers: [SearchLayer]) throws -> [Double] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Diagnostic(file: path, message: "cannot read the sensitivity file: \(error.localizedDescription)")
        }
        guard data.count <= 64 << 20 else { throw Diagnostic(file: path, message: "larger than 64 MiB") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic(file: path, message: "not UTF-8 text")
        }
        return try parse(text, file: path, layers: layers)
    }

    /// `load` on text already read.
    public static func parse(_ text: String, file: String, layers: [SearchLayer]) throws -> [Double] {
        let index = Dictionary(uniqueKeysWithValues: layers.enumerated().map { ($1.name, $0) })
        var values = [Double?](repeating: nil, count: layers.count)
        var sawHeader = false
        // "\r\n" is one Character in Swift: split on it as well as on "\n".
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (n, raw) in lines.enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            func error(_ field: Int, _ message: String) -> Diagnostic {
                let column = fields.prefix(field).reduce(1) { $0 + $1.count + 1 }
                return Diagnostic(file: file, line: n + 1, column: column, message: message)
            }
            guard fields.count == 2 else {
                throw error(0, "expected 2 fields (layer,trace), got \(fields.count)")
            }
            let name = fields[0].trimmingCharacters(in: .whitespaces)
            let value = fields[1].trimmingCharacters(in: .whitespaces)
            if !sawHeader {
                guard name == "layer", value == "trace" else {
                    throw error(0, "expected the header 'layer,trace', got \(quotedToken(line))")
                }
                sawHeader = true
                continue
            }
            guard let l = index[name] else {
                let hints = closeMatches(to: name, in: layers.map(\.name))
                throw error(0, "unknown layer \(quotedToken(name)): the workload's layers are its matrix products"
                            + (hints.isEmpty ? "" : " (did you mean '\(hints[0])'?)"))
            }
            guard values[l] == nil else { throw error(0, "layer '\(name)' is given twice") }
            guard case .value(let v) = NumberGrammar.real(value), v >= 0 else {
                throw error(1, "expected a finite Hessian trace ≥ 0, got \(quotedToken(value))")
            }
            values[l] = v
        }
        guard sawHeader else { throw Diagnostic(file: file, message: "empty: expected the header 'layer,trace'") }
        let missing = layers.indices.filter { values[$0] == nil }
        guard missing.isEmpty else {
            let names = missing.prefix(3).map { "'\(layers[$0].name)'" }.joined(separator: ", ")
            throw Diagnostic(file: file, message: "\(missing.count) of the workload's \(layers.count) layers have no "
                             + "trace (\(names)\(missing.count > 3 ? ", …" : "")); give every layer a row")
        }
        return values.map { $0! }
    }
}
