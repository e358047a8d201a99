/// An error in an input file, located as precisely as the file allows:
/// printed `FILE:LINE:COLUMN: error: KEY.PATH: message`.
///
/// Every reader in lpsim (hardware YAML, traces, plans, CSV, configs)
/// reports problems as a `Diagnostic`, so the CLI prints them one way.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var file: String
    public var line: Int?
    public var column: Int?
    /// Where in the document: `datapath.accumulator.bits`, `ops[3].m`.
    public var keyPath: String
    public var message: String
    public var severity: Severity

    public init(file: String, line: Int? = nil, column: Int? = nil, keyPath: String = "",
                message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
        self.severity = severity
    }

    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        let path = keyPath.isEmpty ? "" : "\(keyPath): "
        return "\(location): \(severity.rawValue): \(path)\(message)"
    }
}

/// Up to three candidates within a small edit distance, closest first.
public func closeMatches(to word: String, in candidates: [String]) -> [String] {
    // A word far longer than any candidate is close to none (and the edit distance would cost its length squared).
    guard word.utf8.count <= 64 else { return [] }
    let limit = max(2, word.count / 3)
    let scored: [(name: String, distance: Int)] = candidates.map { ($0, editDistance($0.lowercased(), word.lowercased())) }
    let close = scored.filter { $0.distance <= limit }
    let sorted = close.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
    return sorted.prefix(3).map(\.name)
}

/// Levenshtein distance over UTF-8 bytes.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count), current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
