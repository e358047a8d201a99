import Documents
import Foundation

/// The lines of a text input (a file, or standard input for `nil` or "-"),
/// each with its 1-based line number; a missing, unreadable or non-UTF-8
/// input is a `Diagnostic` (at the offending line for bad UTF-8).
struct InputText {
    let displayName: String
    let lines: [(number: Int, text: Substring)]

    init(path: String?) throws {
        let data: Data
        if let path, path != "-" {
            displayName = path
            data = try readInputFile(path)
        } else {
            displayName = "<stdin>"
            data = FileHandle.standardInput.readDataToEndOfFile()
        }
        var lines: [(Int, Substring)] = []
        var number = 0
        for rawLine in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            guard let text = String(validating: rawLine, as: UTF8.self) else {
                throw Diagnostic(file: displayName, line: number, column: 1, message: "not UTF-8 text")
            }
            var line = Substring(text)
            if line.last == "\r" { line.removeLast() }
            lines.append((number, line))
        }
        self.lines = lines
    }
}
