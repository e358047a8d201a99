import Foundation

/// What every user-given name (a device, a memory level, a trace, an op, a
/// plan, a sweep) must be: text that every output can print on one line.
///
/// Names head report sections, label table rows and CSV fields, key JSON
/// objects and build file names, so an empty name, or one with a line break
/// or another control character, would give a blank heading, a broken table
/// row or a split CSV record. They are refused where they are read, at
/// their position, rather than escaped differently in each output.
public enum NameRule {
    /// Why `name` is not a valid name, or nil when it is.
    public static func problem(_ name: String) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "a name must not be empty" }
        if name.unicodeScalars.contains(where: breaksLine) {
            let shown = name.unicodeScalars.map { c -> String in
                guard breaksLine(c) else { return String(c) }
                switch c { case "\n": return "\\n"; case "\r": return "\\r"; case "\t": return "\\t"
                default: return "\\u{\(String(c.value, radix: 16))}" }
            }.joined()
            return "a name must not contain line breaks, tabs or other control characters, got \(quotedToken(shown))"
        }
        return nil
    }

    /// A control character (line breaks, tabs, escapes) or a Unicode line or paragraph separator (U+2028,
    /// U+2029), which editors and Markdown renderers also break lines at.
    public static func breaksLine(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}

extension YAMLValue {
    /// A name (`NameRule`): a non-empty scalar of printable text; a YAML
    /// null (`null`, `~` or nothing, unquoted) is refused, not read as the word.
    public func name() throws -> String {
        if case .scalar(let s) = node, !isQuotedScalar, ["", "~", "null", "Null", "NULL"].contains(s.string) {
            throw error("expected a name (a non-empty string), got null")
        }
        let text = try string()
        if let problem = NameRule.problem(text) { throw error(problem) }
        return text
    }
}
