import Documents
import Reports

extension SavedComparison {
    /// A figure's coding-path key, for `locate` and `render`.
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(_ name: String) { stringValue = name }
        init(_ index: Int) { stringValue = "\(index)"; intValue = index }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { self.init(intValue) }
    }

    /// Refuses figures `compare` never writes: a negative (or, for a fraction,
    /// above 1) time, energy, count, area or width in a saved comparison,
    /// typically hand-edited. The summary's rules assume them (a leader's
    /// time is positive or zero; a negative one trapped `Statements.ranked`),
    /// so they are errors at the field, with its key path. QSNR may be
    /// negative and is not checked.
    static func checkFigures(_ data: ComparisonData, root: JSONScanner.Value, bytes: [UInt8], path: String) throws {
        func fail(_ keys: [Key], _ message: String) -> Diagnostic {
            let (line, column) = JSONScanner.position(of: locate(keys, in: root, start: 0), in: bytes)
            return Diagnostic(file: path, line: line, column: column, keyPath: render(keys), message: message)
        }
        func check(_ value: Double?, _ keys: [Key], atMost limit: Double? = nil) throws {
            guard let value else { return }
            guard value >= 0 else { throw fail(keys, "must not be negative, got \(value)") }
            if let limit, value > limit { throw fail(keys, "must be at most \(limit) (a fraction), got \(value)") }
        }
        for (i, e) in data.entries.enumerated() {
            let at = [Key("entries"), Key(i)]
            let figures: [(String, Double?)] = [
                ("seconds", e.seconds), ("cycles", e.cycles), ("macs", e.macs), ("energyJoules", e.energyJoules),
                ("computeJoules", e.computeJoules), ("onChipJoules", e.onChipJoules),
                ("offChipJoules", e.offChipJoules), ("staticJoules", e.staticJoules),
                ("areaSquareMillimetres", e.areaSquareMillimetres),
                ("utilisedDatapathSquareMillimetres", e.utilisedDatapathSquareMillimetres),
                ("bitsPerWeight", e.bitsPerWeight),
            ]
            for (key, value) in figures { try check(value, at + [Key(key)]) }
            try check(e.memoryBoundFraction, at + [Key("memoryBoundFraction")], atMost: 1)
            if let l = e.latencyBoundFraction {
                try check(l, at + [Key("latencyBoundFraction")], atMost: 1 - e.memoryBoundFraction)
            }
            try check(e.vectorOpFraction, at + [Key("vectorOpFraction")], atMost: 1)
            for (j, op) in e.topOps.enumerated() {
                let opAt = at + [Key("topOps"), Key(j)]
                try check(op.seconds, opAt + [Key("seconds")])
                try check(op.energyJoules, opAt + [Key("energyJoules")])
                try check(op.utilization, opAt + [Key("utilization")], atMost: 1)
            }
        }
    }
}
