/// A format that cannot exist or cannot be found.
public enum FormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A format's parameters are out of range; the message says which.
    case invalidParameters(String)
    /// No format has this name; `suggestions` are the closest known names.
    case unknownName(String, suggestions: [String])

    public var description: String {
        switch self {
        case .invalidParameters(let message):
            return message
        case .unknownName(let name, let suggestions):
            var text = "unknown format '\(name)'"
            if !suggestions.isEmpty {
                text += "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?"
            }
            return text + " (run 'lpsim formats' for the list)"
        }
    }
}
