/// The built-in formats, their aliases, and the parser for generic names.
///
/// Canonical names follow ml_dtypes and the OCP specifications (see
/// `builtIns`); generic spellings are parsed:
/// - `eXmY` with optional bias `bN` and suffix `fn`, `fnuz` or `fnu`, with or
///   without a `floatN_` prefix (`e3m4`, `float8_e4m3b11fnuz`): IEEE-style
///   unless a suffix says otherwise; `e4m3`, `e5m2`, `e2m3`, `e3m2`, `e2m1`
///   and `e8m0` name the OCP formats;
/// - `intN`, `uintN`, `intN_sym` (±(2^(N−1)−1)), `bipolarN`, N = 1…32;
/// - `fixed<W,F>` and `ufixed<W,F>`;
/// - `intN_gK`: N-bit integers in groups of K with an FP16 absmax scale.
public enum FormatCatalog {
    /// A built-in format with its aliases and where its definition comes from.
    public struct Entry: Sendable {
        public let format: NumberFormat
        public let aliases: [String]
        public let source: String
        public var name: String { format.name }
    }

    /// Finds a format by canonical name, alias or generic spelling (case-insensitive).
    ///
    /// - Throws: `FormatError.unknownName` with the closest known names.
    public static func format(named rawName: String) throws(FormatError) -> NumberFormat {
        let name = rawName.lowercased().trimmingSpaces
        if let entry = index[name] { return entry.format }
        if let format = try parseGeneric(name) { return format }
        throw .unknownName(rawName, suggestions: closestNames(to: name))
    }

    /// A scalar format by name; block formats are an error here.
    public static func scalarFormat(named name: String) throws(FormatError) -> AnyScalarFormat {
        switch try format(named: name) {
        case .scalar(let f): return f
        case .block(let f):
            throw .invalidParameters("'\(f.name)' is a block-scaled format; a scalar format is needed here")
        }
    }

    /// Every built-in format, in the order `lpsim formats` lists them.
    public static let builtIns: [Entry] = makeBuiltIns()

    static let index: [String: Entry] = {
        var map: [String: Entry] = [:]
        for entry in builtIns {
            for key in [entry.name] + entry.aliases { map[key.lowercased()] = entry }
        }
        return map
    }()

    /// Up to three known names within a small edit distance of `name`.
    public static func closestNames(to name: String) -> [String] {
        let candidates = builtIns.flatMap { [$0.name] + $0.aliases }
        let limit = max(2, name.count / 3)
        let scored = candidates.map { ($0, editDistance($0.lowercased(), name)) }
            .filter { $0.1 <= limit || ($0.0.hasPrefix(name) && name.count >= 3) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        var seen = Set<String>(), result: [String] = []
        for (candidate, _) in scored where !seen.contains(candidate) {
            seen.insert(candidate)
            result.append(candidate)
            if result.count == 3 { break }
        }
        return result
    }

    /// Levenshtein distance.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
