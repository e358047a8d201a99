import Documents

/// A plain-text table with aligned columns, for terminal output. A cell's
/// line breaks and other control characters print as spaces: a name an
/// importer took from a model file cannot break a row.
struct TextTable {
    var header: [String]
    var rows: [[String]]

    func rendered() -> String {
        let rows = self.rows.map { $0.map(Self.flat) }
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ").trimmingTrailingSpaces
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }

    static func flat(_ cell: String) -> String {
        guard cell.unicodeScalars.contains(where: NameRule.breaksLine) else { return cell }
        return String(String.UnicodeScalarView(cell.unicodeScalars.map { NameRule.breaksLine($0) ? " " : $0 }))
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
