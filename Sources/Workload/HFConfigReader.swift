import Documents
import Foundation

/// Typed, positioned access to the fields of a Hugging Face `config.json`.
///
/// Every accessor that finds a field of the wrong type or out of range
/// throws a `Diagnostic` at the field itself (`FILE:LINE:COLUMN`, key path);
/// a missing required field is reported at the object that lacks it.
/// Keys the model families do not read are ignored: a config.json carries
/// dozens of training and tokenizer settings that do not shape the network.
struct HFConfigReader {
    let path: String
    let bytes: [UInt8]
    let fields: [(key: String, keyOffset: Int, value: JSONScanner.Value, offset: Int)]
    /// Where this object starts (for errors about missing keys) and its key path prefix.
    let offset: Int
    let prefix: String

    /// Reads and parses `path` (at most 16 MiB).
    init(path: String) throws {
        let data = try readInputFile(path, maximumBytes: 16 << 20)
        let bytes = [UInt8](data)
        var scanner = JSONScanner(bytes)
        let value: JSONScanner.Value
        let start: Int
        do throws(JSONScanner.Failure) { (value, start) = try scanner.parseDocument() } catch {
            let (line, column) = Self.position(error.offset, in: bytes)
            throw Diagnostic(file: path, line: line, column: column, message: "invalid JSON: \(error.message)")
        }
        guard case .object(let fields) = value else {
            throw Diagnostic(file: path, line: 1, column: 1,
                             message: "expected a JSON object (a Hugging Face config.json)")
        }
        self.init(path: path, bytes: bytes, fields: fields, offset: start, prefix: "")
    }

    init(path: String, bytes: [UInt8], fields: [(key: String, keyOffset: Int, value: JSONScanner.Value, offset: Int)],
         offset: Int, prefix: String) {
        self.path = path
        self.bytes = bytes
        self.fields = fields
        self.offset = offset
        self.prefix = prefix
    }

    func field(_ key: String) -> (offset: Int, value: JSONScanner.Value)? {
        fields.first { $0.key == key }.map { ($0.offset, $0.value) }
    }

    /// Whether `key` is present (null counts as present).
    func has(_ key: String) -> Bool { field(key) != nil }

    /// Whether `key` is present and not null.
    func hasValue(_ key: String) -> Bool {
        guard let f = field(key) else { return false }
        if case .null = f.value { return false }
        return true
    }

    /// A diagnostic at `key`'s value (or at this object when it is absent).
    func error(_ key: String?, _ message: String) -> Diagnostic {
        let at = key.flatMap { field($0)?.offset } ?? offset
        let (line, column) = Self.position(at, in: bytes)
        let keyPath = key.map { prefix + $0 } ?? String(prefix.dropLast())
        return Diagnostic(file: path, line: line, column: column, keyPath: keyPath, message: message)
    }

    /// A warning at `key`'s value, placed as `error` places an error.
    func warning(_ key: String?, _ message: String) -> Diagnostic {
        var d = error(key, message)
        d.severity = .warning
        return d
    }

    /// The first of `keys` present and not null, as an integer in `minimum…2^40`;
    /// `default` when none is, else a "missing" error.
    func int(_ keys: [String], default: Int? = nil, minimum: Int = 1) throws -> Int {
        if let v = try optionalInt(keys, minimum: minimum) { return v }
        if let d = `default` { return d }
        let others = keys.count > 1 ? " (or \(keys.dropFirst().joined(separator: ", ")))" : ""
        throw error(nil, "missing '\(prefix + keys[0])'\(others)")
    }

    /// The most layers a model may declare: far above any published model (Llama-3.1-405B has
    /// 126), low enough that per-layer tables stay small; a larger count is refused, not allocated.
    static let maximumLayers = 100_000

    /// A layer count from the first of `keys` present, in 1…`maximumLayers`.
    func layerCount(_ keys: [String], default: Int? = nil) throws -> Int {
        let layers = try int(keys, default: `default`)
        guard layers <= Self.maximumLayers else {
            let key = keys.first { field($0) != nil }
            throw error(key, "must be 1…\(Self.maximumLayers) layers, got \(layers)")
        }
        return layers
    }

    func int(_ key: String, default: Int? = nil, minimum: Int = 1) throws -> Int {
        try int([key], default: `default`, minimum: minimum)
    }

    /// The first of `keys` present and not null, or nil.
    func optionalInt(_ keys: [String], minimum: Int = 1) throws -> Int? {
        for key in keys {
            guard let f = field(key) else { continue }
            if case .null = f.value { continue }
            // The shared number grammar (NumberGrammar): digits only, exact to Int64.
            guard case .value(let v)? = f.value.integer else {
                throw error(key, "expected an integer, got \(f.value.kindName); \(NumberGrammar.integerRule)")
            }
            guard v >= minimum, v <= 1 << 40 else { throw error(key, "must be \(minimum)…\(1 << 40), got \(v)") }
            return v
        }
        return nil
    }

    func optionalInt(_ key: String, minimum: Int = 1) throws -> Int? { try optionalInt([key], minimum: minimum) }

    /// A number (integer or not), or nil when absent or null.
    func optionalDouble(_ key: String) throws -> Double? {
        guard let f = field(key) else { return nil }
        if case .null = f.value { return nil }
        guard case .number(let x, _) = f.value, x.isFinite else { throw error(key, "expected a number") }
        return x
    }

    /// A boolean, or nil when absent or null.
    func bool(_ key: String) throws -> Bool? {
        guard let f = field(key) else { return nil }
        if case .null = f.value { return nil }
        guard case .bool(let b) = f.value else { throw error(key, "expected true or false") }
        return b
    }

    /// A string, or nil when absent or null.
    func string(_ key: String) throws -> String? {
        guard let f = field(key) else { return nil }
        if case .null = f.value { return nil }
        guard case .string(let s) = f.value else { throw error(key, "expected a string") }
        return s
    }

    /// A list of strings, or nil when absent or null.
    func strings(_ key: String) throws -> [String]? {
        guard let f = field(key) else { return nil }
        if case .null = f.value { return nil }
        guard case .array(let items) = f.value else { throw error(key, "expected a list of strings") }
        return try items.map { item in
            guard case .string(let s) = item.value else {
                let (line, column) = Self.position(item.offset, in: bytes)
                throw Diagnostic(file: path, line: line, column: column, keyPath: prefix + key,
                                 message: "expected a string")
            }
            return s
        }
    }

    /// A list of integers, or nil when absent or null.
    func ints(_ key: String, minimum: Int = 0) throws -> [Int]? {
        guard let f = field(key) else { return nil }
        if case .null = f.value { return nil }
        guard case .array(let items) = f.value else { throw error(key, "expected a list of integers") }
        return try items.map { item in
            guard case .value(let v)? = item.value.integer, v >= minimum else {
                let (line, column) = Self.position(item.offset, in: bytes)
                throw Diagnostic(file: path, line: line, column: column, keyPath: prefix + key,
                                 message: "expected an integer ≥ \(minimum)")
            }
            return v
        }
    }

    /// A nested object (a multimodal config's `text_config`), or nil.
    func object(_ key: String) throws -> HFConfigReader? {
        guard let f = field(key) else { return nil }
        if case .null = f.value { return nil }
        guard case .object(let nested) = f.value else { throw error(key, "expected an object") }
        return HFConfigReader(path: path, bytes: bytes, fields: nested, offset: f.offset, prefix: prefix + key + ".")
    }

    /// 1-based line and column (in characters) of a byte offset.
    static func position(_ offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
        return (line, String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self).count + 1)
    }
}
