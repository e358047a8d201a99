import Documents
import Formats

/// One op's fields as a reader sees them, wherever they come from (YAML,
/// a JSON Lines record, a CSV row): each accessor throws a `Diagnostic` at
/// the field's own position.
protocol OpRecord {
    var keys: [String] { get }
    func has(_ key: String) -> Bool
    func string(_ key: String) throws -> String
    func integer(_ key: String) throws -> Int
    /// The `formats:` mapping, role name → format name, each with a way to report at it.
    func formatEntries() throws -> [(role: String, format: String, error: (String) -> Diagnostic)]
    func error(at key: String?, _ message: String) -> Diagnostic
    /// The field as a name (`NameRule`).
    func name(_ key: String) throws -> String
}

extension OpRecord {
    func name(_ key: String) throws -> String {
        let text = try string(key)
        if let problem = NameRule.problem(text) { throw error(at: key, problem) }
        return text
    }
}

enum OpDecoder {
    static let commonKeys = ["name", "kind", "repeat", "formats", "block_size", "sparsity"]

    /// Builds and checks an op: known keys only, every required dimension,
    /// positive sizes, known formats, a shape whose counts fit 64 bits.
    static func decode<R: OpRecord>(_ r: R, index: Int) throws -> Op {
        guard r.has("kind") else { throw r.error(at: nil, "missing required key 'kind'") }
        let kindName = try r.string("kind")
        guard let kind = OpKind(rawValue: kindName) else {
            let names = OpKind.allCases.map(\.rawValue)
            let hints = closeMatches(to: kindName, in: names)
            throw r.error(at: "kind", "unknown op kind \(quotedToken(kindName)); "
                          + "expected one of \(names.joined(separator: ", "))"
                          + (hints.isEmpty ? "" : " (did you mean '\(hints[0])'?)"))
        }
        var dims = Dimensions()
        var given: UInt64 = 0   // a bit per DimensionKey offset
        for key in r.keys where !isCommonKey(key) {
            guard let dimension = DimensionKey(rawValue: key), kind.takes(dimension) else {
                let (required, optional) = kind.dimensions
                let allowed = commonKeys + required.map(\.rawValue) + optional.map(\.0.rawValue)
                let hints = closeMatches(to: key, in: allowed)
                throw r.error(at: key, "unknown key \(quotedToken(key)) for a \(kind.rawValue) op"
                              + (hints.isEmpty ? "; expected one of \(allowed.joined(separator: ", "))"
                                 : "; did you mean '\(hints[0])'?"))
            }
            dims[dimension] = dimension.isFlag ? try flag(r, key)
                : dimension.allowsZero ? try nonNegative(r, key) : try positive(r, key)
            given |= 1 << UInt64(dimension.offset)
        }
        for key in kind.dimensions.required where given & (1 << UInt64(key.offset)) == 0 {
            throw r.error(at: nil, "a \(kind.rawValue) op needs '\(key.rawValue)' "
                          + "(it needs \(kind.dimensions.required.map(\.rawValue).joined(separator: ", ")))")
        }
        if kind == .attentionQK || kind == .attentionPV, given & (1 << UInt64(DimensionKey.kvHeads.offset)) != 0,
           dims[.kvHeads] == 0 {
            throw r.error(at: "kv_heads", "must be at least 1 (omit it for kv_heads = heads)")
        }
        var formats: [OperandRole: NumberFormat] = [:]
        if r.has("formats") {
            for entry in try r.formatEntries() {
                guard let role = OperandRole(rawValue: entry.role) else {
                    throw entry.error("unknown operand role \(quotedToken(entry.role)); expected "
                                      + OperandRole.allCases.map(\.rawValue).joined(separator: ", "))
                }
                do throws(FormatError) { formats[role] = try FormatCatalog.format(named: entry.format) } catch {
                    throw entry.error(error.description)
                }
            }
        }
        var sparse = false, ratio: StructuredSparsity?
        if r.has("sparsity") {
            let text = try r.string("sparsity")
            ratio = StructuredSparsity(text)
            guard text == "dense" || ratio != nil else {
                throw r.error(at: "sparsity", "expected 'dense' or N:M with 1 ≤ N ≤ M (e.g. '2:4'), got "
                              + quotedToken(text))
            }
            // 2:4 stays `sparse24` alone (as the fast reader makes it); M:M is dense.
            sparse = ratio == StructuredSparsity(n: 2, m: 4)
            if sparse || ratio?.isDense == true { ratio = nil }
        }
        var op = Op(givenName: r.has("name") ? try r.name("name") : nil, index: index, kind: kind,
                    dimensions: dims, given: { given & (1 << UInt64($0.offset)) != 0 },
                    repeatCount: r.has("repeat") ? try positive(r, "repeat") : 1, formats: formats,
                    blockSize: r.has("block_size") ? try positive(r, "block_size") : nil, sparse24: sparse)
        op.structuredSparsity = ratio
        do throws(ShapeError) {
            let counts = try op.counts()
            let (_, overflow) = counts.macs.multipliedReportingOverflow(by: Int64(op.repeatCount))
            if overflow { throw ShapeError(message: "MACs × repeat overflows 64 bits", key: "repeat") }
        } catch {
            throw r.error(at: error.key.flatMap { r.has($0) ? $0 : nil }, error.message)
        }
        return op
    }

    static func isCommonKey(_ key: String) -> Bool {
        switch key {
        case "name", "kind", "repeat", "formats", "block_size", "sparsity": return true
        default: return false
        }
    }

    static func positive<R: OpRecord>(_ r: R, _ key: String) throws -> Int {
        let v = try r.integer(key)
        guard v >= 1 else { throw r.error(at: key, "must be a positive integer, got \(v)") }
        return v
    }

    /// A yes-or-no dimension (`DimensionKey.isFlag`): 0 or 1.
    static func flag<R: OpRecord>(_ r: R, _ key: String) throws -> Int {
        let v = try r.integer(key)
        guard v == 0 || v == 1 else { throw r.error(at: key, "must be 0 or 1, got \(v)") }
        return v
    }

    static func nonNegative<R: OpRecord>(_ r: R, _ key: String) throws -> Int {
        let v = try r.integer(key)
        guard v >= 0 else { throw r.error(at: key, "must not be negative, got \(v)") }
        return v
    }
}

/// An op in a YAML trace.
struct YAMLOpRecord: OpRecord {
    let mapping: YAMLMapping

    var keys: [String] { mapping.keys }
    func has(_ key: String) -> Bool { mapping[key] != nil }
    func string(_ key: String) throws -> String { try mapping.required(key).string() }
    func name(_ key: String) throws -> String { try mapping.required(key).name() }
    func integer(_ key: String) throws -> Int { try mapping.required(key).int() }
    func formatEntries() throws -> [(role: String, format: String, error: (String) -> Diagnostic)] {
        try mapping.required("formats").mapping().values.map { role, value in
            (role, try value.string(), { value.error($0) })
        }
    }
    func error(at key: String?, _ message: String) -> Diagnostic {
        if let key, let value = mapping[key] { return value.error(message) }
        return mapping.owner.error(message)
    }
}
