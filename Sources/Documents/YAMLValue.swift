import Yams

/// One node of a YAML document with its file and key path, and the strict
/// accessors that turn a mismatch into a positioned `Diagnostic`.
public struct YAMLValue: @unchecked Sendable {
    public let node: Node
    public let file: String
    /// `datapath.accumulator.bits`, `memory[2].bandwidth`.
    public let keyPath: String
    /// Key paths inherited from another file (through `extends:`) and that
    /// file: a node under one of them is reported in the file it came from.
    public let origins: [String: String]

    public init(node: Node, file: String, keyPath: String, origins: [String: String] = [:]) {
        self.node = node
        self.file = file
        self.keyPath = keyPath
        self.origins = origins
    }

    /// The file this node was written in.
    public var sourceFile: String {
        var path = keyPath
        while !path.isEmpty {
            if let origin = origins[path] { return origin }
            if let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) { path = String(path[..<cut]) } else { break }
        }
        return file
    }

    /// A diagnostic at this node.
    public func error(_ message: String, severity: Diagnostic.Severity = .error) -> Diagnostic {
        Diagnostic(file: sourceFile, line: node.mark?.line, column: node.mark?.column, keyPath: keyPath,
                   message: message, severity: severity)
    }

    func with(node: Node, keyPath: String) -> YAMLValue {
        YAMLValue(node: node, file: file, keyPath: keyPath, origins: origins)
    }

    var kindName: String {
        switch node {
        case .scalar(let s): return "the scalar \(quotedToken(s.string))"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// This node as a mapping whose keys must all be in `allowed`.
    public func mapping(allowedKeys allowed: [String]) throws -> YAMLMapping {
        let m = try mapping()
        for (key, value) in m.entries where !allowed.contains(key) {
            let hints = closeMatches(to: key, in: allowed)
            let hint = hints.isEmpty ? "expected one of \(allowed.joined(separator: ", "))"
                : "did you mean \(hints.map { "'\($0)'" }.joined(separator: " or "))?"
            throw Diagnostic(file: value.value.sourceFile, line: value.keyMark?.line, column: value.keyMark?.column,
                             keyPath: value.value.keyPath, message: "unknown key \(quotedToken(key)); \(hint)")
        }
        return m
    }

    /// This node as a mapping with any string keys.
    public func mapping() throws -> YAMLMapping {
        guard case .mapping(let m) = node else { throw error("expected a mapping, got \(kindName)") }
        var entries: [(String, YAMLMapping.Entry)] = []
        var seen = Set<String>()   // a set: a mapping of a million keys is checked in linear time
        for (k, v) in m {
            guard case .scalar(let s) = k else {
                throw with(node: k, keyPath: keyPath).error("mapping keys must be plain strings")
            }
            if s.string == "<<", s.style == .plain { throw Self.mergeKeyError(k, in: self) }
            if !seen.insert(s.string).inserted {
                throw Diagnostic(file: sourceFile, line: k.mark?.line, column: k.mark?.column, keyPath: child(s.string),
                                 message: "duplicate key \(quotedToken(s.string))")
            }
            entries.append((s.string, .init(value: with(node: v, keyPath: child(s.string)), keyMark: k.mark)))
        }
        return YAMLMapping(owner: self, entries: entries)
    }

    func child(_ key: String) -> String { keyPath.isEmpty ? key : "\(keyPath).\(key)" }

    /// This node as a list.
    public func sequence() throws -> [YAMLValue] {
        guard case .sequence(let s) = node else { throw error("expected a list, got \(kindName)") }
        return s.enumerated().map { with(node: $1, keyPath: "\(keyPath)[\($0)]") }
    }

    /// A scalar's text (any scalar: YAML has no separate string type here).
    public func string() throws -> String {
        guard case .scalar(let s) = node else { throw error("expected a string, got \(kindName)") }
        return s.string
    }

    /// Whether this node is a quoted scalar: `"64"` is a string, not a number
    /// (see `NumberGrammar`).
    var isQuotedScalar: Bool {
        guard case .scalar(let s) = node else { return false }
        return s.style == .singleQuoted || s.style == .doubleQuoted || s.style == .literal || s.style == .folded
    }

    /// An integer in `range`, spelled as `NumberGrammar` says.
    public func int(in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        let text = try string()
        if isQuotedScalar { throw error("expected an integer, got the string \(quotedToken(text)) (quoted values are strings)") }
        let value: Int
        switch NumberGrammar.integer(text) {
        case .value(let v): value = v
        case .outOfRange: throw error("the integer \(quotedToken(text)) does not fit 64 bits")
        case .notAnInteger: throw error("expected an integer, got \(quotedToken(text)); \(NumberGrammar.integerRule)")
        }
        guard range.contains(value) else {
            throw error("must be in \(range.lowerBound)…\(range.upperBound), got \(value)")
        }
        return value
    }

    /// A finite number, positive unless `allowZero`/`allowNegative`.
    public func number(allowZero: Bool = false, allowNegative: Bool = false) throws -> Double {
        let text = try string()
        if isQuotedScalar { throw error("expected a number, got the string \(quotedToken(text)) (quoted values are strings)") }
        let value: Double
        switch NumberGrammar.real(text) {
        case .value(let v): value = v
        case .outOfRange: throw error("the number \(quotedToken(text)) is beyond the range of a double")
        case .notANumber: throw error("expected a finite number, got \(quotedToken(text))")
        }
        try checkSign(value, allowZero: allowZero, allowNegative: allowNegative)
        return value
    }

    /// A quantity with a unit, in SI base units, positive unless `allowZero`.
    public func quantity(_ dimension: Dimension, allowZero: Bool = false) throws -> Double {
        let text = try string()
        switch parseQuantity(text, as: dimension) {
        case .failure(let e): throw error(e.message)
        case .success(let value):
            try checkSign(value, allowZero: allowZero, allowNegative: false)
            return value
        }
    }

    func checkSign(_ value: Double, allowZero: Bool, allowNegative: Bool) throws {
        if value < 0 && !allowNegative { throw error("must not be negative, got \(try string())") }
        if value == 0 && !allowZero { throw error("must be greater than zero") }
    }

    /// `true`/`false`.
    public func bool() throws -> Bool {
        switch try string() {
        case "true": return true
        case "false": return false
        case let other: throw error("expected true or false, got \(quotedToken(other))")
        }
    }

    /// One of a fixed set of words.
    public func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws -> T where T.RawValue == String {
        let text = try string()
        if let value = T(rawValue: text) { return value }
        let names = T.allCases.map(\.rawValue)
        let hints = closeMatches(to: text, in: names)
        throw error("unknown value \(quotedToken(text)); expected one of \(names.joined(separator: ", "))"
                    + (hints.isEmpty ? "" : " (did you mean '\(hints[0])'?)"))
    }
}

/// A mapping's entries in document order.
public struct YAMLMapping: Sendable {
    public struct Entry: @unchecked Sendable {
        public let value: YAMLValue
        public let keyMark: Mark?
    }

    public let owner: YAMLValue
    public let entries: [(String, Entry)]

    public var keys: [String] { entries.map(\.0) }

    public subscript(key: String) -> YAMLValue? { entries.first { $0.0 == key }?.1.value }

    /// A key that must be present.
    public func required(_ key: String) throws -> YAMLValue {
        guard let value = self[key] else { throw owner.error("missing required key '\(key)'") }
        return value
    }

    /// The values, keyed, in document order.
    public var values: [(String, YAMLValue)] { entries.map { ($0.0, $0.1.value) } }
}
